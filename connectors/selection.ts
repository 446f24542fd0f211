import { getNamedType, isObjectType, isUnionType, isInterfaceType, type GraphQLNamedType, type GraphQLSchema } from 'graphql';

/**
 * The full selection set of a composed upstream type (every field, nested objects included), so a
 * connector fetches whole records and new fields in an API description need no code change.
 */
export function fullSelection(schema: GraphQLSchema, typeName: string, depth = 4): string {
  const type = schema.getType(typeName);
  if (!type) throw new Error(`type ${typeName} is not in the composed registry schema`);
  return selectionOf(type, depth);
}

function selectionOf(type: GraphQLNamedType, depth: number): string {
  if (!isObjectType(type) && !isInterfaceType(type)) return '';
  const fields: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((arg) => arg.type.toString().endsWith('!'))) continue;
    const named = getNamedType(field.type);
    if (isObjectType(named) || isInterfaceType(named)) {
      if (depth > 0) fields.push(`${field.name} ${selectionOf(named, depth - 1)}`);
    } else if (!isUnionType(named)) {
      fields.push(field.name);
    }
  }
  return `{ ${fields.join(' ')} }`;
}
