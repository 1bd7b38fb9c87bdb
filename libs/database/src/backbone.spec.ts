import {
  BACKBONE_BEGIN,
  BACKBONE_END,
  backboneModels,
  backboneModelsCurrent,
  backboneVersions,
} from './backbone';
import { SERVICES } from './prisma-cli';

describe('event backbone owned by libs/eventing', () => {
  // The drift check: a service whose schema.prisma lost or edited the generated models fails here
  // (fix: npm run backbone:sync); its database is checked by checkSchemaDrift.
  it.each(SERVICES)('%s has the current backbone models in schema.prisma', (service) => {
    expect(backboneModelsCurrent(service)).toBe(true);
  });

  it('renders the models into the given schema, between markers', () => {
    const models = backboneModels('mission');
    expect(models.startsWith(`${BACKBONE_BEGIN}\n`)).toBe(true);
    expect(models.endsWith(`\n${BACKBONE_END}`)).toBe(true);
    expect(models.match(/@@schema\("mission"\)/g)).toHaveLength(3);
    expect(models).not.toContain('{{schema}}');
    expect(() => backboneModels('Mission; DROP')).toThrow(/not a valid schema name/);
  });

  it('versions are ordered and each is a no-op where the services migrations already ran', () => {
    const versions = backboneVersions();
    expect(versions[0]!.version).toBe('0001_backbone');
    expect(versions.map((v) => v.version)).toEqual(versions.map((v) => v.version).sort());
    for (const { sql } of versions) {
      const creates = sql.match(/^\s*CREATE\b[^(]*/gim) ?? [];
      expect(creates.length).toBeGreaterThan(0);
      for (const create of creates) {
        expect(create).toMatch(/IF NOT EXISTS|OR REPLACE/);
      }
      expect(sql).not.toMatch(/ADD COLUMN (?!IF NOT EXISTS)/);
    }
  });
});
