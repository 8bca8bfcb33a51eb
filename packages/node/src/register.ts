// Entry point for `node --import @agent-otel/node/register app.mjs` and
// `node -r @agent-otel/node/register app.js`: the same as calling register() with no options.
import { register } from './register-sdk.js';

register();
