/** Action entry (bundled into dist/index.js by ncc). */
import { runAction } from './run-action.js';

await runAction();
