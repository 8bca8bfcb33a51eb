// The store's SQLite schema. A store file is marked with `application_id` (so a foreign SQLite file
// is recognised) and `user_version` (the schema version below).

/** `PRAGMA application_id` of a viewer store: 'aotv'. */
export const APPLICATION_ID = 0x616f7476;
/** `PRAGMA user_version`: the schema version this code reads and writes. */
export const SCHEMA_VERSION = 2;

/** Traces per bucket of the attribute index (`trace id row >> BUCKET_BITS`). */
export const BUCKET_BITS = 6;

/**
 * A segment of span data is closed once its JSON reaches this many bytes: the parts of one insert
 * are compressed together (zstd, level 1), so one compressor call covers ~200 spans and repeated
 * text across traces compresses too, while reading one trace inflates at most ~256 KiB per part.
 */
export const SEGMENT_BYTES = 256 * 1024;
/** zstd level of span-data segments (1: the fastest level with the usual ratio on span JSON, ~8×). */
export const SEGMENT_ZSTD_LEVEL = 1;

/**
 * - `traces`: one row per trace, the list's roll-up (kept up to date on insert; spans of a trace may
 *   arrive in several requests, children before parents). Row ids only grow (AUTOINCREMENT), so
 *   they follow arrival order and are never reused. Indexed by start time, conversation, and the sort keys
 *   whose values are few (name, errors, spans), where new entries land on a few pages; the list
 *   sorts by duration, tokens or cost without an index (random inserts into such indexes cost more
 *   per ingested span than a sort of the matching traces costs per query).
 * - `spans`: one row per span, the columns stats read, keyed by (trace, span id): a span received
 *   twice is stored once.
 * - `segments`: span data, zstd-compressed: the JSON parts of one insert (several traces), closed at
 *   `SEGMENT_BYTES`; `parts` counts the `span_data` rows still pointing into it (retention deletes a
 *   segment when it reaches 0).
 * - `span_data`: the spans of one trace received in one insert: a part of a segment (byte range `at`,
 *   `bytes` of its JSON), all of each span but its ids and resource.
 * - `resources`: distinct (service, resource attributes), shared by spans.
 * - `attr_keys` + `trace_attrs`: which traces have which scalar attribute value (on any span or its
 *   resource; content attributes and values over 256 characters excluded): the index of attribute
 *   filters and of the static ones that name a span attribute (service, operation, kind, model,
 *   provider, agent, tool, conversation). Keyed by (bucket, key, value, trace) where a bucket is 64
 *   consecutive traces (by row id): an insert writes into the current bucket's few pages only, so
 *   ingest stays fast with millions of entries; a lookup seeks once per bucket; a probe for one
 *   trace is one seek. Retention deletes whole buckets once they hold no trace; until then entries
 *   of deleted traces stay, and never match (queries join `traces`; row ids are never reused).
 * - `key_values`: the distinct values of the keys the filter pickers list (service, model, provider,
 *   agent, tool, operation); rebuilt when retention deletes buckets.
 */
export const SCHEMA_SQL = `
CREATE TABLE traces (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  trace_id TEXT NOT NULL UNIQUE,
  start_ms REAL NOT NULL,
  end_ms REAL NOT NULL,
  duration_ms REAL NOT NULL,
  span_count INTEGER NOT NULL,
  model_calls INTEGER NOT NULL,
  input_tokens REAL NOT NULL,
  output_tokens REAL NOT NULL,
  total_tokens REAL NOT NULL,
  cost_pico REAL,
  error_count INTEGER NOT NULL,
  name TEXT NOT NULL,
  root_span_name TEXT NOT NULL,
  service TEXT NOT NULL,
  root_span_id TEXT,
  root_start_ms REAL,
  root_is_true INTEGER NOT NULL DEFAULT 0,
  conversation_id TEXT,
  conversation_start_ms REAL,
  conversation_span_id TEXT,
  models TEXT NOT NULL,
  agents TEXT NOT NULL
);
CREATE INDEX traces_by_start ON traces (start_ms);
CREATE INDEX traces_by_spans ON traces (span_count, start_ms);
CREATE INDEX traces_by_errors ON traces (error_count, start_ms);
CREATE INDEX traces_by_name ON traces (name, start_ms);
CREATE INDEX traces_by_conversation ON traces (conversation_id, start_ms) WHERE conversation_id IS NOT NULL;

CREATE TABLE resources (
  id INTEGER PRIMARY KEY,
  data TEXT NOT NULL UNIQUE
);

CREATE TABLE spans (
  trace_rowid INTEGER NOT NULL,
  span_id TEXT NOT NULL,
  start_ms REAL NOT NULL,
  duration_ms REAL NOT NULL,
  is_error INTEGER NOT NULL,
  stat_group INTEGER NOT NULL,
  stat_key TEXT,
  input_tokens REAL NOT NULL,
  output_tokens REAL NOT NULL,
  cost_pico REAL,
  PRIMARY KEY (trace_rowid, span_id)
) WITHOUT ROWID;

CREATE TABLE segments (
  id INTEGER PRIMARY KEY,
  parts INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE span_data (
  id INTEGER PRIMARY KEY,
  trace_rowid INTEGER NOT NULL,
  segment_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  bytes INTEGER NOT NULL
);
CREATE INDEX span_data_by_trace ON span_data (trace_rowid);

CREATE TABLE attr_keys (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE
);
CREATE TABLE trace_attrs (
  bucket INTEGER NOT NULL,
  key_id INTEGER NOT NULL,
  value NOT NULL,
  trace_rowid INTEGER NOT NULL,
  PRIMARY KEY (bucket, key_id, value, trace_rowid)
) WITHOUT ROWID;
CREATE TABLE key_values (
  key_id INTEGER NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (key_id, value)
) WITHOUT ROWID;
`;

/** The tables a store file has (checked on open). */
export const TABLES = [
  'traces',
  'resources',
  'spans',
  'segments',
  'span_data',
  'attr_keys',
  'trace_attrs',
  'key_values',
] as const;
