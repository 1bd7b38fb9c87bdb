// The service as a part, for whatever composes it into another process (standalone mode, the
// one-process spec in e2e/). Deployed on its own it starts from main.ts.
export { AppModule } from './app.module';
export { agentConfigSchema, type AgentConfig } from './agent.config';
