/** Side effect: tracing starts (when configured) before anything loads `http` or `pg`. */
import { startTracingFromEnvironment } from '../platform/tracing';

startTracingFromEnvironment();
