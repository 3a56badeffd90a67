import type { CalcCounter, CalcSelector } from '../types.js';

/** The common calculators (issue 18): a recipe fills the raw JSON, which stays editable. */
export interface CalcBody {
  name: string;
  selectors: CalcSelector[];
  counters: CalcCounter[];
  update_delay?: number;
}

export const RECIPES = ['trips-ignition', 'trips-movement', 'stops', 'geofence-visits', 'overspeed', 'inactivity'] as const;
export type Recipe = (typeof RECIPES)[number];

export const RECIPE_LABELS: Readonly<Record<Recipe, string>> = {
  'trips-ignition': 'Trips by ignition',
  'trips-movement': 'Trips by movement',
  stops: 'Stops',
  'geofence-visits': 'Geofence visits',
  overspeed: "Overspeed (limit from the device's metadata max_speed)",
  inactivity: 'Inactivity (silence over 30 minutes)',
};

const TRIP_COUNTERS: CalcCounter[] = [
  { name: 'distance', type: 'mileage' },
  { name: 'max_speed', type: 'expression', expression: 'position.speed', method: 'maximum' },
  { name: 'avg_speed', type: 'expression', expression: 'position.speed', method: 'average' },
  { name: 'messages', type: 'messages' },
  { name: 'route', type: 'route' },
];

/** The calculator a recipe makes; `geofences` are the ids a geofence-visits calculator watches. */
export function recipeBody(recipe: Recipe, geofences: readonly number[] = []): CalcBody {
  switch (recipe) {
    case 'trips-ignition':
      return {
        name: 'Trips (ignition)',
        selectors: [{ type: 'expression', expression: 'engine.ignition.status == true', method: 'boolean', max_inactive: 120, min_duration: 60 }],
        counters: TRIP_COUNTERS,
      };
    case 'trips-movement':
      return {
        name: 'Trips (movement)',
        selectors: [
          {
            type: 'expression',
            expression: 'position.speed > 5',
            method: 'boolean',
            max_inactive: 300,
            min_duration: 120,
            merge_message_before: true,
            merge_message_after: true,
          },
        ],
        counters: TRIP_COUNTERS,
      };
    case 'stops':
      return {
        name: 'Stops',
        selectors: [{ type: 'expression', expression: 'position.speed <= 5', method: 'boolean', min_duration: 300 }],
        counters: [
          { name: 'latitude', type: 'expression', expression: 'position.latitude', method: 'first' },
          { name: 'longitude', type: 'expression', expression: 'position.longitude', method: 'first' },
          { name: 'geofences', type: 'geofence' },
        ],
      };
    case 'geofence-visits':
      return {
        name: 'Geofence visits',
        selectors: [{ type: 'geofence', geofences: [...geofences] }],
        counters: [
          { name: 'geofences', type: 'geofence' },
          { name: 'messages', type: 'messages' },
          { name: 'route', type: 'route' },
        ],
      };
    case 'overspeed':
      return {
        name: 'Overspeed',
        selectors: [{ type: 'expression', expression: "position.speed > metadata('max_speed')", method: 'boolean', max_inactive: 30 }],
        counters: [
          { name: 'max_speed', type: 'expression', expression: 'position.speed', method: 'maximum' },
          { name: 'limit', type: 'expression', expression: "metadata('max_speed')", method: 'first' },
          { name: 'distance', type: 'mileage' },
          { name: 'route', type: 'route' },
        ],
      };
    case 'inactivity':
      return { name: 'Inactivity', selectors: [{ type: 'inactive', min_duration: 1800 }], counters: [] };
  }
}
