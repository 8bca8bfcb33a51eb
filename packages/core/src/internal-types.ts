// Types used across core's modules; not exported from the package.

/** The key type of `Context.getValue` / `setValue`. */
export type ContextKey = symbol;
