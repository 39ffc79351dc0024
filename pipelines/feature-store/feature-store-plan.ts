import { MlfolioError } from '../../portfolio/errors.ts';
import { didYouMean } from '../../portfolio/suggest.ts';
import { parseWith } from '../../portfolio/validate.ts';
import {
  type FeatureStoreSpec,
  type FeatureViewSpec,
  type FormulaView,
  featureStoreSpecSchema,
  parseTtl,
  type Ttl,
} from './feature-view-schema.ts';

/** One output column of the training set: a view's value for one role, or a row-level value. */
export interface FeatureOutput {
  column: string;
  view: string;
  /** The role whose entity the value describes; absent for `column` and `formula` views. */
  role?: string;
}

export interface EntityPlan {
  roles: string[];
  /** Perspective columns every role of the entity declares. */
  columns: string[];
}

/** A formula view's SQL; `difference` and `ratio` are also computed directly, without SQL. */
export interface FormulaPlan {
  expression: string;
  inputs: string[];
  form: 'expression' | 'difference' | 'ratio';
}

/** A validated feature store declaration with everything derived from it that later stages need. */
export interface FeatureStorePlan {
  spec: FeatureStoreSpec;
  /** Where the declaration came from (a file path, or a description), used in every error. */
  source: string;
  entities: Record<string, EntityPlan>;
  outputs: FeatureOutput[];
  ttl: Record<string, Ttl>;
  /** For a formula view: its SQL expression and the output columns it reads. */
  formulas: Record<string, FormulaPlan>;
}

export function storeError(code: string, message: string, hint: string): MlfolioError {
  return new MlfolioError({ code, message, hint });
}

/**
 * Validates an untrusted declaration (schema, then meaning) into a plan. Throws `MlfolioError`s
 * naming `source`, the view and the field: unknown keys (with the nearest valid name), an unknown
 * entity, role or perspective column, a window or lag that would look ahead, duplicate outputs,
 * formulas over unknown features or forming a cycle. Formulas' SQL is checked by DuckDB when the
 * store is built (`buildTrainingSet`), where the engine is at hand.
 */
export function planFeatureStore(input: unknown, source: string): FeatureStorePlan {
  const spec = parseWith(featureStoreSpecSchema, input, source, 'E_FEATURE_STORE_INVALID');
  const where = (view: FeatureViewSpec, field: string) =>
    `${source}: feature view "${view.name}", field ${field}`;

  const entities: Record<string, EntityPlan> = {};
  for (const [role, declared] of Object.entries(spec.table.roles)) {
    entities[declared.entity] ??= { roles: [], columns: Object.keys(declared.columns) };
    const entity = entities[declared.entity]!;
    entity.roles.push(role);
    const names = Object.keys(declared.columns).sort().join(',');
    if (names !== [...entity.columns].sort().join(',')) {
      throw storeError(
        'E_FEATURE_STORE_INVALID',
        `${source}: table "${spec.table.name}", role "${role}" declares columns [${Object.keys(declared.columns).join(', ')}] for entity "${declared.entity}", but role "${entity.roles[0]}" declares [${entity.columns.join(', ')}].`,
        'Every role of one entity must map the same perspective columns, so its timeline has one shape.',
      );
    }
  }

  const seen = new Set<string>();
  const outputs: FeatureOutput[] = [];
  const ttl: Record<string, Ttl> = {};
  const formulas: FeatureStorePlan['formulas'] = {};
  for (const view of spec.views) {
    if (seen.has(view.name)) {
      throw storeError(
        'E_FEATURE_DUPLICATE',
        `${source}: two feature views are named "${view.name}".`,
        'Give each view a unique name.',
      );
    }
    seen.add(view.name);
    ttl[view.name] = parseTtl(view.ttl);
    if (ttl[view.name]!.unit === 'days' && spec.table.time.kind === 'season') {
      throw storeError(
        'E_FEATURE_STORE_INVALID',
        `${where(view, 'ttl')}: "${view.ttl}" is in days, but table "${spec.table.name}" is timed by season.`,
        'Give the TTL in seasons, e.g. "1 season".',
      );
    }
    if (view.kind === 'column') {
      outputs.push({ column: view.name, view: view.name });
      continue;
    }
    if (view.kind === 'formula') {
      formulas[view.name] = formulaOf(view, source);
      outputs.push({ column: view.name, view: view.name });
      continue;
    }
    const entity = entities[view.entity];
    if (!entity) {
      throw storeError(
        'E_FEATURE_UNKNOWN_ENTITY',
        `${where(view, 'entity')}: unknown entity "${view.entity}". ${didYouMean(view.entity, Object.keys(entities))}`,
        `Use an entity declared by a role of table "${spec.table.name}".`,
      );
    }
    const checkRoles = (field: string, roles: readonly string[] | undefined) => {
      for (const role of roles ?? []) {
        if (!entity.roles.includes(role)) {
          throw storeError(
            'E_FEATURE_UNKNOWN_ROLE',
            `${where(view, field)}: "${role}" is not a role of entity "${view.entity}" (its roles: ${entity.roles.join(', ')}). ${didYouMean(role, entity.roles)}`,
            `Use a role that table "${spec.table.name}" declares for "${view.entity}".`,
          );
        }
      }
    };
    checkRoles('roles', view.roles);
    if (view.kind !== 'elo') checkRoles('historyRoles', view.historyRoles);
    const read = view.kind === 'elo' ? view.score : view.kind === 'since' ? undefined : view.column;
    if (read !== undefined && !entity.columns.includes(read)) {
      throw storeError(
        'E_FEATURE_UNKNOWN_COLUMN',
        `${where(view, view.kind === 'elo' ? 'score' : 'column')}: "${read}" is not a column of entity "${view.entity}" (its columns: ${entity.columns.join(', ') || 'none'}). ${didYouMean(read, entity.columns)}`,
        `Declare "${read}" under table.roles.<role>.columns, or use one of the entity's columns.`,
      );
    }
    if (view.kind === 'lag' && view.offset < 1) {
      throw storeError(
        'E_FEATURE_LOOKAHEAD',
        `${where(view, 'offset')}: offset ${view.offset} would read the event itself or a later one.`,
        'Use offset 1 for the last event strictly before, 2 for the one before that, and so on.',
      );
    }
    if (view.kind === 'rolling') {
      const [unit, size] = Object.entries(view.window)[0] as [string, number];
      if (size < 1) {
        throw storeError(
          'E_FEATURE_LOOKAHEAD',
          `${where(view, `window.${unit}`)}: a window of ${size} ${unit} would include the event itself or later ones.`,
          `Use a window of at least 1 ${unit}; windows always end strictly before the event.`,
        );
      }
      if (unit === 'days' && spec.table.time.kind !== 'date') {
        throw storeError(
          'E_FEATURE_STORE_INVALID',
          `${where(view, 'window.days')}: table "${spec.table.name}" is timed by season, so a window in days has no meaning.`,
          'Use `window: { seasons: N }` or `window: { events: N }`.',
        );
      }
    }
    if (
      ((view.kind === 'rolling' && (view.sameSeason || 'seasons' in view.window)) ||
        (view.kind === 'elo' && view.seasonRegression !== undefined)) &&
      spec.table.time.kind === 'date' &&
      !spec.table.season
    ) {
      throw storeError(
        'E_FEATURE_STORE_INVALID',
        `${where(view, view.kind === 'elo' ? 'seasonRegression' : 'window')}: needs seasons, but table "${spec.table.name}" declares no season column.`,
        'Add `season: <column>` to the table declaration.',
      );
    }
    if (view.kind === 'elo') {
      const pair = view.roles ?? entity.roles;
      if (pair.length !== 2) {
        throw storeError(
          'E_FEATURE_STORE_INVALID',
          `${where(view, 'roles')}: Elo rates pairwise events, but entity "${view.entity}" has ${pair.length} role(s) (${pair.join(', ')}).`,
          'Use Elo on a table whose events have two roles of the entity (e.g. home and away).',
        );
      }
    }
    const roles = view.roles ?? entity.roles;
    const template = view.output ?? (entity.roles.length > 1 ? '{name}_{role}' : '{name}');
    if (roles.length > 1 && !template.includes('{role}')) {
      throw storeError(
        'E_FEATURE_STORE_INVALID',
        `${where(view, 'output')}: "${template}" gives the same column for roles ${roles.join(', ')}.`,
        'Put {role} in the output name, or restrict `roles` to one role.',
      );
    }
    for (const role of roles) {
      outputs.push({
        column: template.replaceAll('{name}', view.name).replaceAll('{role}', role),
        view: view.name,
        role,
      });
    }
  }

  const columns = new Set<string>();
  for (const output of outputs) {
    if (columns.has(output.column)) {
      throw storeError(
        'E_FEATURE_DUPLICATE',
        `${source}: output column "${output.column}" (view "${output.view}") is produced twice.`,
        'Rename the view or change its `output` template.',
      );
    }
    columns.add(output.column);
  }
  const known = [...columns];
  for (const [name, formula] of Object.entries(formulas)) {
    for (const input of formula.inputs) {
      if (!columns.has(input)) {
        throw storeError(
          'E_FEATURE_UNKNOWN_COLUMN',
          `${source}: feature view "${name}", field difference/ratio: "${input}" is not a feature. ${didYouMean(input, known)}`,
          'A formula reads the output columns of other views of the same row.',
        );
      }
    }
    formula.inputs = known.filter((column) => column !== name && referenced(formula.expression, column));
  }
  orderFormulas(formulas, source);
  return { spec, source, entities, outputs, ttl, formulas };
}

function formulaOf(view: FormulaView, source: string): FormulaPlan {
  const forms = [view.expression, view.difference, view.ratio].filter((form) => form !== undefined);
  if (forms.length !== 1) {
    throw storeError(
      'E_FEATURE_STORE_INVALID',
      `${source}: feature view "${view.name}" (formula) declares ${forms.length} of expression, difference, ratio.`,
      'Declare exactly one of them.',
    );
  }
  if (view.difference) {
    const [a, b] = view.difference;
    return { expression: `"${a}" - "${b}"`, inputs: [a, b], form: 'difference' };
  }
  if (view.ratio) {
    const [a, b] = view.ratio;
    return { expression: `"${a}" / NULLIF("${b}", 0)`, inputs: [a, b], form: 'ratio' };
  }
  return { expression: view.expression!, inputs: [], form: 'expression' };
}

/** Whether `expression` mentions `column` as a whole identifier (quoted or not). */
export function referenced(expression: string, column: string): boolean {
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_"])"?${escaped}"?($|[^A-Za-z0-9_"])`).test(expression);
}

/** Formula names in an order where every formula comes after the formulas it reads. */
export function orderFormulas(formulas: FeatureStorePlan['formulas'], source: string): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      throw storeError(
        'E_FEATURE_STORE_INVALID',
        `${source}: formulas form a cycle: ${[...path, name].join(' → ')}.`,
        'A formula may read other formulas, but not itself through them.',
      );
    }
    state.set(name, 'visiting');
    for (const input of formulas[name]!.inputs) if (formulas[input]) visit(input, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of Object.keys(formulas)) visit(name, []);
  return order;
}

/** `features` and, transitively, every column their formulas read: what computing them needs. */
export function formulaLineage(plan: FeatureStorePlan, features: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const input of plan.formulas[name]?.inputs ?? []) visit(input);
  };
  for (const name of features) visit(name);
  return seen;
}
