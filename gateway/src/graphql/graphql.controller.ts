import { All, Controller, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SupergraphServer } from './supergraph-server';

@Controller('graphql')
export class GraphqlController {
  constructor(private readonly server: SupergraphServer) {}

  /** POST for operations; GET for queries and, outside production, the landing page. */
  @All()
  handle(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.server.handle(request, response);
  }
}
