import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { expressPath, REST_BASE_PATH } from './rest-route';
import { type RestRouteName, restRoutes } from './rest.routes';
import { RestService } from './rest.service';

/** A route's path as Nest maps it, from the one table the OpenAPI document is made of. */
const at = (name: RestRouteName): string => expressPath(restRoutes[name].path).slice(1);

/** REST v1: each route hands its request to the graph (rest.service.ts); nothing is decided here. */
@Controller(REST_BASE_PATH.slice(1))
export class RestController {
  constructor(private readonly rest: RestService) {}

  @Post(at('exchangeAgentKey'))
  exchangeAgentKey(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.exchangeAgentKey, request, response);
  }

  @Post(at('exchangeApiKey'))
  exchangeApiKey(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.exchangeApiKey, request, response);
  }

  @Get(at('whoami'))
  whoami(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.whoami, request, response);
  }

  @Post(at('heartbeat'))
  heartbeat(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.heartbeat, request, response);
  }

  @Get(at('listAgents'))
  listAgents(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.listAgents, request, response);
  }

  @Get(at('getAgent'))
  getAgent(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.getAgent, request, response);
  }

  @Get(at('getBoard'))
  getBoard(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.getBoard, request, response);
  }

  @Get(at('listMissions'))
  listMissions(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.listMissions, request, response);
  }

  @Get(at('getMission'))
  getMission(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.getMission, request, response);
  }

  @Post(at('createMission'))
  createMission(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.createMission, request, response);
  }

  @Post(at('moveMission'))
  moveMission(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.moveMission, request, response);
  }

  @Post(at('addComment'))
  addComment(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.addComment, request, response);
  }

  @Post(at('nextMission'))
  nextMission(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.nextMission, request, response);
  }

  @Post(at('claimMission'))
  claimMission(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.claimMission, request, response);
  }

  @Post(at('releaseMission'))
  releaseMission(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.releaseMission, request, response);
  }

  @Post(at('renewLease'))
  renewLease(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.renewLease, request, response);
  }

  @Post(at('startRun'))
  startRun(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.startRun, request, response);
  }

  @Get(at('getRun'))
  getRun(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.getRun, request, response);
  }

  @Post(at('appendRunLog'))
  appendRunLog(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.appendRunLog, request, response);
  }

  @Post(at('reportRunUsage'))
  reportRunUsage(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.reportRunUsage, request, response);
  }

  @Post(at('noteRunProgress'))
  noteRunProgress(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.noteRunProgress, request, response);
  }

  @Post(at('finishRun'))
  finishRun(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.rest.serve(restRoutes.finishRun, request, response);
  }
}
