import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { CatalogueResolver } from './catalogue.resolver';
import { DossierLifecycleResolver } from './dossier-lifecycle.resolver';
import { DossierResolver } from './dossier.resolver';
import { LandResolver } from './land.resolver';
import { DigitizeResolver, DocumentResolver, DocumentStatusResolver, DossierResultResolver } from './document.resolver';
import { StatisticsResolver } from './statistics.resolver';
import { ReusableDocumentsResolver } from './reusable-documents.resolver';
import { ConsentResolver } from './consent.resolver';
import { ConsentPurposesResolver } from './consent-purposes.resolver';
import { TranslateHubErrors } from './error-mapping';
import { RejectControlCharacters } from './input-guards';

/** The hub's own schema (dossier store and catalogue), before the registries are stitched in. */
export async function buildDossierSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [
      DossierResolver,
      DossierLifecycleResolver,
      LandResolver,
      DocumentResolver,
      DossierResultResolver,
      DigitizeResolver,
      DocumentStatusResolver,
      CatalogueResolver,
      StatisticsResolver,
      ReusableDocumentsResolver,
      ConsentResolver,
      ConsentPurposesResolver,
    ],
    // Input rules live in the domain, which raises typed errors; no second validation layer.
    validate: false,
    emitSchemaFile: false,
    // Errors are translated outermost, so the guards' refusals get their codes too.
    globalMiddlewares: [TranslateHubErrors, RejectControlCharacters],
  });
}
