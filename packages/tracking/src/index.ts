// @beckon/tracking: anonymous identity, identify, batched lossless delivery and conversion metrics.
// The event schema (zod) is a separate entry, `@beckon/tracking/schema`, so it never reaches browsers by accident.
export { createTracker, type IdentifyChange, type Tracker, type TrackerOptions, type TrackerStats } from './tracker.js';
export { batchUrl, callbackDestination, httpDestination, type Destination, type HttpDestination, type HttpDestinationOptions } from './destinations.js';
export {
  createDeliveryQueue,
  type DeliveryQueue,
  type DeliveryQueueOptions,
  type DeliveryStats,
  type DroppedCounts,
  type RetryOptions,
  type Send,
  type SendResult,
} from './queue.js';
export { backoff, parseRetryAfter, MAX_RETRY_AFTER, type BackoffOptions } from './backoff.js';
export { forgetStores, type Consent } from './consent.js';
export { PRIVATE_PARAMS, paramFilter, scrubUrl } from './scrub.js';
export { cookieStore, memoryStore, webStore, type CookieOptions, type KeyValueStore, type StorageMode } from './storage.js';
export { browserContext, browserLifecycle, randomId, type PageLifecycle, type Timers } from './platform.js';
export { computeMetrics, lift, trendDays, DEFAULT_GOAL } from './metrics.js';
export { variantMetrics, type VariantCounts } from './metrics-variants.js';
export {
  chiSquareSurvival,
  sampleRatioMismatch,
  sequentialDifference,
  SRM_THRESHOLD,
  type Difference,
  type Group,
  type SampleRatioCheck,
  type SequentialOptions,
} from './experiment-stats.js';
export { MAX_BATCH_BYTES, MAX_BATCH_LENGTH, MAX_EVENT_BYTES, MAX_EVENT_DEPTH, MAX_NAME_LENGTH, MAX_UNLOAD_BYTES } from './limits.js';
export { VERSION } from './version.js';
export {
  MESSAGE_EVENTS,
  type AliasEvent,
  type BeckonEvent,
  type CollectedEvent,
  type DailyCounts,
  type EventContext,
  type GroupEvent,
  type IdentifyEvent,
  type Lift,
  type MessageMetrics,
  type MetricsGoal,
  type MetricsOptions,
  type MetricsVariant,
  type VariantMetrics,
  type ViewerCounts,
  type PageEvent,
  type ScreenEvent,
  type TrackEvent,
} from './types.js';
