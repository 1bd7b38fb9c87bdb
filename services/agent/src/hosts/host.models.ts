import {
  Field,
  Float,
  GraphQLISODateTime,
  ID,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
} from '@nestjs/graphql';
import { AgentModule } from '../agent.module';
import type { HostKind } from './host.commands';
import type { HostRecord } from './hosts.repository';

// GraphQL enum names are upper case; their values are the lower-case names the service uses.
export enum HostKindValue {
  SERVER = 'server',
  CONTAINER = 'container',
}
export enum HostStatusValue {
  ONLINE = 'online',
  OFFLINE = 'offline',
}
registerEnumType(HostKindValue, {
  registerIn: () => AgentModule,
  name: 'HostKind',
  description: 'A machine of its own, or a container.',
});
registerEnumType(HostStatusValue, {
  registerIn: () => AgentModule,
  name: 'HostStatus',
  description: 'Online while samples keep coming; offline when none came for a while.',
});

// Checked here so the enum and the service's names cannot drift apart.
export const asHostKind = (value: HostKindValue): HostKind => value satisfies HostKind;

// Byte counts as Float, as token counts elsewhere: they outgrow GraphQL's 32-bit Int.
@ObjectType({
  registerIn: () => AgentModule,
  description: 'A host’s resource usage at one moment, as its runner measured it.',
})
export class HostSample {
  @Field(() => GraphQLISODateTime)
  at!: Date;

  @Field(() => Float, { description: 'Of all the host’s CPUs together, from 0 to 100.' })
  cpuPercent!: number;

  @Field(() => Float)
  memoryUsedBytes!: number;

  @Field(() => Float)
  diskUsedBytes!: number;

  @Field(() => Float)
  diskTotalBytes!: number;
}

@ObjectType({
  registerIn: () => AgentModule,
  description:
    'A server or container that runs agents (a runner on it reports it), with its latest sample.',
})
export class Host {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  workspaceId!: string;

  @Field({ description: 'The runner’s key for the host: the same runner reports the same key.' })
  hostKey!: string;

  @Field()
  hostname!: string;

  @Field(() => HostKindValue)
  kind!: HostKindValue;

  @Field({ description: 'E.g. "linux 6.8.0"; empty when not reported.' })
  os!: string;

  @Field({ description: 'E.g. "x64" or "arm64"; empty when not reported.' })
  arch!: string;

  @Field(() => Int)
  cpuCount!: number;

  @Field(() => Float)
  memoryBytes!: number;

  @Field()
  runnerVersion!: string;

  @Field(() => String, {
    nullable: true,
    description: 'What the container runtime says of it (running, paused…); null for a server.',
  })
  containerStatus!: string | null;

  @Field(() => HostStatusValue, {
    description: 'Computed by the server from the time of the latest sample.',
  })
  status!: HostStatusValue;

  @Field(() => HostSample, { nullable: true, description: 'Null before the first sample.' })
  lastSample!: HostSample | null;

  @Field(() => Int, { description: 'The version of the host’s event stream shown here.' })
  version!: number;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

@ObjectType({ registerIn: () => AgentModule })
export class HostPageInfo {
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next hosts.' })
  endCursor!: string | null;

  @Field()
  hasNextPage!: boolean;
}

@ObjectType({ registerIn: () => AgentModule, description: 'A page of hosts by hostname.' })
export class HostConnection {
  @Field(() => [Host])
  nodes!: Host[];

  @Field(() => HostPageInfo)
  pageInfo!: HostPageInfo;

  @Field(() => Int, { description: 'Hosts in the whole list.' })
  totalCount!: number;
}

export const hostOf = (record: HostRecord): Host => ({
  id: record.id,
  workspaceId: record.workspaceId,
  hostKey: record.hostKey,
  hostname: record.hostname,
  kind: record.kind as HostKindValue,
  os: record.os,
  arch: record.arch,
  cpuCount: record.cpuCount,
  memoryBytes: record.memoryBytes,
  runnerVersion: record.runnerVersion,
  containerStatus: record.containerStatus,
  status: record.online ? HostStatusValue.ONLINE : HostStatusValue.OFFLINE,
  lastSample: record.lastSample,
  version: record.version,
  createdAt: record.createdAt,
  updatedAt: record.updatedAt,
});

@InputType({
  registerIn: () => AgentModule,
  description: 'What a runner says of its host. Reporting the same again changes nothing.',
})
export class ReportHostInput {
  @Field({
    description:
      'The runner’s stable key for this host (1–200 printable ASCII characters, no spaces).',
  })
  hostKey!: string;

  @Field()
  hostname!: string;

  @Field(() => HostKindValue)
  kind!: HostKindValue;

  @Field(() => String, { nullable: true })
  os?: string | null;

  @Field(() => String, { nullable: true })
  arch?: string | null;

  @Field(() => Int, { description: 'At least 1.' })
  cpuCount!: number;

  @Field(() => Float, { description: 'Whole bytes, not negative.' })
  memoryBytes!: number;

  @Field(() => String, { nullable: true })
  runnerVersion?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'For a container: what its runtime says of it. Left out: unchanged.',
  })
  containerStatus?: string | null;
}

@InputType({ registerIn: () => AgentModule })
export class HostSampleInput {
  @Field(() => Float, { description: 'Of all the host’s CPUs together, from 0 to 100.' })
  cpuPercent!: number;

  @Field(() => Float, { description: 'Whole bytes, not negative.' })
  memoryUsedBytes!: number;

  @Field(() => Float, { description: 'Whole bytes, not negative, at most diskTotalBytes.' })
  diskUsedBytes!: number;

  @Field(() => Float, { description: 'Whole bytes, not negative.' })
  diskTotalBytes!: number;

  @Field(() => String, { nullable: true, description: 'Left out: unchanged.' })
  containerStatus?: string | null;
}
