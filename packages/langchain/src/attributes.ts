// Attribute names of this package. None is defined by the GenAI semantic conventions, so all are ours,
// under `agent_otel.` (core's `ATTR_AGENT_OTEL_*` cover the names every adapter shares).

/** The LangChain run id of a workflow or agent span (to find the run in LangChain's own tooling). */
export const ATTR_LANGCHAIN_RUN_ID = 'agent_otel.langchain.run_id';
/** The run's own tags (string array): the user's, not inherited from the parent run, LangChain's own left out. */
export const ATTR_LANGCHAIN_TAGS = 'agent_otel.langchain.tags';
/** The LangGraph node a `task` span runs. */
export const ATTR_LANGGRAPH_NODE = 'agent_otel.langgraph.node';
/** The LangGraph superstep the node ran in (int). */
export const ATTR_LANGGRAPH_STEP = 'agent_otel.langgraph.step';
/** True on a graph (and the node) that paused on an interrupt (`interrupt()`, `NodeInterrupt`). */
export const ATTR_LANGGRAPH_INTERRUPTED = 'agent_otel.langgraph.interrupted';
/** True on a graph run that resumed from a checkpoint (`Command({ resume })`). */
export const ATTR_LANGGRAPH_RESUMED = 'agent_otel.langgraph.resumed';
/** The checkpoint a graph paused at or resumed from. */
export const ATTR_LANGGRAPH_CHECKPOINT_ID = 'agent_otel.langgraph.checkpoint_id';
