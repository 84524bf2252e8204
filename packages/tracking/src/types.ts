// Segment-spec shaped events (DESIGN.md, "Events"). The collector in @beckon/server accepts exactly these.
import type { Difference, SampleRatioCheck } from './experiment-stats.js';

/** Page facts attached to every event from a browser. */
export interface EventContext {
  page?: { url?: string; path?: string; referrer?: string; title?: string; search?: string };
  screen?: { name?: string };
  locale?: string;
  userAgent?: string;
  /** The sending library; Beckon's own always send it, other Segment-protocol libraries may not. */
  library?: { name: string; version: string };
}

interface BaseEvent {
  /** The event's own unique id (a UUID); the server drops repeats of it. */
  messageId: string;
  anonymousId: string;
  userId?: string;
  /** ISO 8601. */
  timestamp: string;
  context?: EventContext;
  properties?: Record<string, unknown>;
}

export interface PageEvent extends BaseEvent { type: 'page'; name?: string }
export interface ScreenEvent extends BaseEvent { type: 'screen'; name: string }
export interface TrackEvent extends BaseEvent { type: 'track'; event: string }
export interface IdentifyEvent extends BaseEvent { type: 'identify'; userId: string; traits?: Record<string, unknown> }

export type BeckonEvent = PageEvent | ScreenEvent | TrackEvent | IdentifyEvent;

/**
 * Segment's alias: `previousId` (an anonymousId, or an earlier userId) is the same person as `userId`.
 * Beckon's own libraries never send it; the collector accepts it from other Segment-protocol libraries.
 */
export interface AliasEvent extends Omit<BaseEvent, 'anonymousId'> {
  type: 'alias';
  anonymousId?: string;
  userId: string;
  previousId: string;
}

/** Segment's group: the person belongs to the group (an account, a company) `groupId`. */
export interface GroupEvent extends BaseEvent { type: 'group'; groupId: string; traits?: Record<string, unknown> }

/** Everything the collector stores: Beckon's own four event types and Segment's alias and group. */
export type CollectedEvent = BeckonEvent | AliasEvent | GroupEvent;

/**
 * Beckon's own track events and their snake_case properties. `variant_id` is there when the message has
 * variants: the visitor's variant (for Held Out, the one they would have seen).
 */
export const MESSAGE_EVENTS = {
  shown: 'Message Shown', // { message_id, variant_id?, layout }
  clicked: 'Message Clicked', // { message_id, variant_id?, action_id, url }
  dismissed: 'Message Dismissed', // { message_id, variant_id?, via }
  heldOut: 'Message Held Out', // { message_id, variant_id? }
} as const;

/** A lift estimate with its 95% confidence interval (absolute difference of conversion rates). */
export interface Lift {
  /** Conversion rate of viewers minus that of the control group. */
  value: number;
  low: number;
  high: number;
}

/**
 * Viewers by the UTC day of their first show in range, and how many of them converted (at any time within the
 * goal's window). Index 0 is the UTC day that holds `from`; one entry per UTC day that [from, to) touches.
 */
export interface DailyCounts {
  viewers: number[];
  conversions: number[];
}

/** What a message, or one of its variants, did with the people it was shown to. */
export interface ViewerCounts {
  impressions: number;
  /** People shown the message (or this variant). */
  uniqueViewers: number;
  clicks: number;
  clickers: number;
  /** clickers / uniqueViewers (0 when no viewers). */
  clickThroughRate: number;
  dismissals: number;
  /** Viewers who reached the goal within the window after their first show (of this variant). */
  conversions: number;
  /** conversions / uniqueViewers. */
  conversionRate: number;
}

/** One variant's numbers, with its differences in conversion rate from the first variant and the control group. */
export interface VariantMetrics extends ViewerCounts {
  variantId: string;
  /** Its weight in the catalog; absent for a variant the catalog does not name (any more). */
  weight?: number;
  /** This conversion rate minus the first variant's, with a 95% always-valid interval; null for the first one or when a group is empty. */
  vsFirst: Difference | null;
  /** This conversion rate minus the control group's, with a 95% always-valid interval; null when a group is empty. */
  vsControl: Difference | null;
  /** With `options.daily`: this variant's viewers and conversions by day. */
  daily?: DailyCounts;
}

/** Per-message numbers over a time range (DESIGN.md, "Metrics"). */
export interface MessageMetrics extends ViewerCounts {
  messageId: string;
  control: { size: number; conversions: number; conversionRate: number };
  /** null when either group is empty. */
  lift: Lift | null;
  /**
   * Per variant, for a message with variants (named in the options or seen in its events' `variant_id`): the
   * catalog's variants in its order, then others by id. Events without a variant count only in the totals.
   */
  variants?: VariantMetrics[];
  /** Whether the viewers' split over the variants fits the weights; null without weights or viewers. */
  sampleRatio?: SampleRatioCheck | null;
  /** With `options.daily`: viewers and conversions by day, for trends. */
  daily?: DailyCounts;
}

/** What counts as a conversion for one message: a goal event within `windowMs` after the first show. */
export interface MetricsGoal {
  /** 'identify' for an identify event; any other name for a track event of that name. */
  event: string;
  /** How long after the first show (or hold-out) the goal still counts, in ms. */
  windowMs: number;
}

/** A message's variant as the metrics need it: its id and weight (the catalog's `variants`). */
export interface MetricsVariant {
  id: string;
  weight: number;
}

/** Options of `computeMetrics`: the range [from, to) in epoch ms and, when known, each message's goal and variants. */
export interface MetricsOptions {
  from: number;
  to: number;
  /** message id → goal; a message without an entry uses `{ event: 'identify', windowMs: 7 days }`. */
  goals?: Record<string, MetricsGoal>;
  /** message id → its variants in the catalog's order, for their order (the first is the baseline) and the split check. */
  variants?: Record<string, readonly MetricsVariant[]>;
  /** Also count viewers and conversions per UTC day (`daily` on each message and variant), for trends. */
  daily?: boolean;
}
