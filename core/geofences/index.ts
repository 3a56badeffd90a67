export { distanceKm, EARTH_RADIUS_KM } from './geometry.js';
export { GeofenceIndex, type IndexableGeofence } from './spatial-index.js';
export { validateGeometry } from './validate.js';
