export { type BatchResult, computeIntervals, type RecomputePlan } from './batch.js';
export { cloneJson } from './clone.js';
export { type CompiledCalc, compileCalc } from './compile.js';
export { ROUTE_CAP } from './counters.js';
export { intervalsToCsv, intervalsToGpx, isoInZone } from './export.js';
export { applyRecompute, planRecompute } from './late.js';
export { initialState, step, tick } from './machine.js';
export type { CalcContext, CalcEvent, CalcEventName, Interval, IntervalState, RoutePoint, StepResult } from './types.js';
