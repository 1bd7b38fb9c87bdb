import { ContractError, ContractErrorCode } from './contract-error';
import type { EventEnvelope, RawEvent } from './envelope';
import { decodeEvent, type DomainEvent } from './registry';

/**
 * Turns an event of an old contract version into the next one, before it is decoded. The version
 * is part of the type (`mission.v1.MissionCreated` → `mission.v2.MissionCreated`), so an upcaster
 * is registered for the type it reads, and chains follow `to` until a type has no upcaster: the
 * current one. Upcasters are pure; they never look anything up.
 */
export type Upcaster = {
  from: string;
  to: string;
  upcast(payload: Uint8Array, envelope: EventEnvelope): Uint8Array;
};

export class UpcasterChain {
  private readonly byType = new Map<string, Upcaster>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const upcaster of upcasters) {
      if (upcaster.from === upcaster.to) {
        throw new ContractError(
          ContractErrorCode.UPCASTER_CONFLICT,
          `Upcaster for "${upcaster.from}" produces its own type`,
          { from: upcaster.from },
        );
      }
      const existing = this.byType.get(upcaster.from);
      if (existing) {
        throw new ContractError(
          ContractErrorCode.UPCASTER_CONFLICT,
          `Two upcasters read "${upcaster.from}" (to "${existing.to}" and to "${upcaster.to}")`,
          { from: upcaster.from, to: [existing.to, upcaster.to] },
        );
      }
      this.byType.set(upcaster.from, upcaster);
    }
    for (const from of this.byType.keys()) {
      this.pathFrom(from);
    }
  }

  /** The types an event of `type` passes through, itself first and the current type last. */
  pathFrom(type: string): string[] {
    const path = [type];
    for (let next = this.byType.get(type); next; next = this.byType.get(next.to)) {
      if (path.includes(next.to)) {
        throw new ContractError(
          ContractErrorCode.UPCASTER_CONFLICT,
          `Upcasters loop: ${[...path, next.to].join(' → ')}`,
          { path: [...path, next.to] },
        );
      }
      path.push(next.to);
    }
    return path;
  }

  /** The event in the current version of its contract; the same event when it already is. */
  upcast(event: RawEvent): RawEvent {
    let current = event;
    for (let step = this.byType.get(current.envelope.type); step; step = this.byType.get(step.to)) {
      try {
        current = {
          envelope: { ...current.envelope, type: step.to },
          payload: step.upcast(current.payload, current.envelope),
        };
      } catch (error) {
        throw new ContractError(
          ContractErrorCode.UPCAST_FAILED,
          `Upcasting event ${event.envelope.id} from "${step.from}" to "${step.to}" failed: ${
            error instanceof Error ? error.message : String(error)
          }`,
          { eventId: event.envelope.id, from: step.from, to: step.to },
          { cause: error },
        );
      }
    }
    return current;
  }
}

/**
 * The production chain. Empty while every contract is at v1; a breaking change adds the new
 * version's upcaster here (see proto/README.md).
 */
export const upcasters = new UpcasterChain([]);

/** Upcast, then decode: how stored and consumed events are read. */
export function readEvent(
  event: RawEvent,
  chain: UpcasterChain = upcasters,
): { envelope: EventEnvelope; event: DomainEvent } {
  const current = chain.upcast(event);
  return {
    envelope: current.envelope,
    event: decodeEvent(current.envelope.type, current.payload),
  };
}
