import { type DynamicModule, Module } from '@nestjs/common';
import { McpController } from './mcp.controller';
import { McpService } from './mcp.service';

/** /mcp: Mission Control's MCP server (Streamable HTTP) over the graph that `edge` serves. */
@Module({})
export class McpModule {
  static forRoot(edge: DynamicModule): DynamicModule {
    return {
      module: McpModule,
      imports: [edge],
      controllers: [McpController],
      providers: [McpService],
    };
  }
}
