import { readFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { loadRegistryGraph } from '../../connectors/registry-graph';
import { buildOneGraph } from '../../gateway/one-graph';
import { fromProjectRoot } from '../../platform/paths';
import { buildDossierSchema } from '../../schema/build-dossier-schema';
import { PUBLIC_ERROR_CODES } from '../../schema/error-mapping';
import { configReferenceMarkdown } from '../../platform/config';
import { quietLogger } from '../support/database';

describe('documentation stays true', () => {
  it('docs/schema.graphql is the schema the gateway serves (regenerate with `npm run hub -- schema > docs/schema.graphql`)', async () => {
    const registry = await loadRegistryGraph(
      { populationUrl: 'http://127.0.0.1:4101', businessUrl: 'http://127.0.0.1:4102', businessApiKey: 'key' },
      quietLogger,
    );
    const served = printSchema(buildOneGraph(await buildDossierSchema(), registry.schema));
    await registry.close();
    expect(readFileSync(fromProjectRoot('docs/schema.graphql'), 'utf8').trim()).toBe(served.trim());
  });

  it('docs/API.md lists every error code a client can receive', () => {
    const api = readFileSync(fromProjectRoot('docs/API.md'), 'utf8');
    for (const code of PUBLIC_ERROR_CODES) expect(api).toContain(`\`${code}\``);
  });

  it('README.md lists every environment variable with its default (`npm run hub -- config --markdown`)', () => {
    const readme = readFileSync(fromProjectRoot('README.md'), 'utf8');
    for (const row of configReferenceMarkdown().split('\n').slice(2)) expect(readme).toContain(row);
  });
});
