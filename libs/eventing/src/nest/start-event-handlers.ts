import {
  applyDecorators,
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  type INestApplication,
  UseFilters,
} from '@nestjs/common';
import { DiscoveryService, ModulesContainer } from '@nestjs/core';
import { isEventBusStrategy } from './event-bus.strategy';

/**
 * Hands a handler's error back to the consumer unchanged: Nest's default RPC filter would swap it
 * for a generic one, and the consumer needs the real one to tell a database outage (wait) from a
 * broken payload (dead-letter at once) from a bug (retry, then dead-letter with its message).
 */
@Catch()
export class RethrowEventErrors implements ExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): never {
    throw exception;
  }
}

/**
 * Declares a class of `@EventPattern` handlers: a controller whose handlers' errors reach the
 * consumer as they are. (Filters must be on the handlers when Nest registers them, so they
 * cannot be added to the microservice afterwards.)
 */
export const EventHandlers = (): ClassDecorator =>
  applyDecorators(Controller(), UseFilters(RethrowEventErrors));

/**
 * Connects every `EventBusStrategy` the app provides as a microservice of the app (which
 * registers the `@EventPattern` handlers of its controllers) and starts them. Call it once the app
 * is initialised; the app's `close()` stops them.
 */
export async function startEventHandlers(app: INestApplication): Promise<void> {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const strategies = new Set(
    discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter(isEventBusStrategy),
  );
  const microservices = [...strategies].map((strategy) => app.connectMicroservice({ strategy }));
  await Promise.all(microservices.map((microservice) => microservice.listen()));
}
