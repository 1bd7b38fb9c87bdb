import { Inject, Injectable } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { PROJECTION_SOURCES, type ProjectionSources } from './projection.pipeline';

/** Kafka consumer groups: a finished rebuild's group is removed with it. */
@Injectable()
export class ConsumerGroupsRepository {
  constructor(@Inject(PROJECTION_SOURCES) private readonly sources: ProjectionSources) {}

  async delete(groupId: string): Promise<void> {
    const admin = new Kafka({
      clientId: this.sources.clientId,
      brokers: this.sources.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      await admin.deleteGroups([groupId]);
    } finally {
      await admin.disconnect();
    }
  }
}
