import { Controller, Delete, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { McpService } from './mcp.service';

/** /mcp: the MCP server's one endpoint (Streamable HTTP); mcp.service.ts serves it. */
@Controller('mcp')
export class McpController {
  constructor(private readonly mcp: McpService) {}

  @Post()
  post(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.mcp.serve(request, response);
  }

  @Get()
  get(@Res() response: Response): void {
    this.mcp.methodNotAllowed(response);
  }

  @Delete()
  delete(@Res() response: Response): void {
    this.mcp.methodNotAllowed(response);
  }
}
