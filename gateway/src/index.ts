// The gateway as a part, for whatever composes it into another process (standalone mode). Deployed
// on its own it starts from main.ts.
export { AppModule } from './app.module';
export {
  gatewayConfigSchema,
  SUBGRAPH_NAMES,
  subgraphUrlKey,
  type GatewayConfig,
} from './gateway.config';
export { gatewayHttpOptions } from './http/http-options';
