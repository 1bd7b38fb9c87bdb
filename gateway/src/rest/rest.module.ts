import { type DynamicModule, Module } from '@nestjs/common';
import { RestController } from './rest.controller';
import { RestDocsController } from './rest-docs.controller';
import { RestService } from './rest.service';

/** /api/v1: REST for agents and scripts over the graph that `edge` serves, with its OpenAPI document. */
@Module({})
export class RestModule {
  static forRoot(edge: DynamicModule): DynamicModule {
    return {
      module: RestModule,
      imports: [edge],
      controllers: [RestDocsController, RestController],
      providers: [RestService],
    };
  }
}
