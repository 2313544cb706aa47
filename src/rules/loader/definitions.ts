import type { Priority } from '../priority.js';
import type { ItemContext } from './load-result.js';

/** What the collector keeps for each named item after appends and overrides. */

export interface ListDef {
  name: string;
  items: string[];
  /** Load order of the first definition; redefinitions keep it. */
  index: number;
  context: ItemContext;
}

export interface MacroDef {
  name: string;
  condition: string;
  index: number;
  context: ItemContext;
  conditionContext: ItemContext;
}

export interface ExceptionDef {
  name: string;
  /** One field (values are a flat list) or several (values are tuples). */
  fields: string | string[] | undefined;
  comps: string | string[] | undefined;
  values: unknown[];
  context: ItemContext;
}

export interface RuleDef {
  name: string;
  condition: string;
  output: string;
  desc: string;
  priority: Priority;
  enabled: boolean;
  tags: string[];
  source: string;
  exceptions: ExceptionDef[];
  skipIfUnknownFilter: boolean;
  index: number;
  /** Files that defined or changed the rule, in order. */
  files: string[];
  context: ItemContext;
  conditionContext: ItemContext;
}

export interface PluginRequirement {
  name: string;
  version: string;
  alternatives: { name: string; version: string }[];
  context: ItemContext;
}

/** How a chain step's exec relates to an earlier step's (docs/chains.md). */
export type ChainRelationKind = 'descendant_of' | 'same_process' | 'same_container' | 'same_host';

export const CHAIN_RELATION_KINDS: readonly ChainRelationKind[] = ['descendant_of', 'same_process', 'same_container', 'same_host'];

export interface ChainRelation {
  kind: ChainRelationKind;
  /** Index of the step it relates to. */
  step: number;
}

export interface ChainStepDef {
  name: string;
  condition: string;
  relations: ChainRelation[];
  context: ItemContext;
  conditionContext: ItemContext;
}

/** An event that must not happen between two steps. */
export interface ChainUnlessDef {
  condition: string;
  /** Step indexes bounding the interval (exclusive). */
  after: number;
  before: number;
  relations: ChainRelation[];
  context: ItemContext;
  conditionContext: ItemContext;
}

export interface ChainDef {
  name: string;
  desc: string;
  steps: ChainStepDef[];
  unless: ChainUnlessDef[];
  withinNs: bigint;
  /** The window as written, for messages. */
  withinText: string;
  output: string;
  priority: Priority;
  enabled: boolean;
  tags: string[];
  index: number;
  files: string[];
  context: ItemContext;
}
