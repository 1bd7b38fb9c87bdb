import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { ReadinessCheck } from './readiness-check';

/** Asks the cluster for its metadata over one long-lived admin connection. */
export class KafkaReadiness implements ReadinessCheck {
  readonly name = 'kafka';
  private admin: Admin | undefined;

  constructor(
    private readonly brokers: string[],
    private readonly clientId: string,
  ) {}

  async check(): Promise<void> {
    if (!this.admin) {
      const kafka = new Kafka({
        clientId: `${this.clientId}-readiness`,
        brokers: this.brokers,
        logLevel: logLevel.NOTHING,
        connectionTimeout: 1_500,
        retry: { retries: 0 },
      });
      this.admin = kafka.admin();
    }
    try {
      await this.admin.connect();
      const cluster = await this.admin.describeCluster();
      if (cluster.brokers.length === 0) {
        throw new Error('Kafka reported no brokers');
      }
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect();
  }
}
