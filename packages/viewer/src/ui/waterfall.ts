// The span tree with its timeline: one row per visible span (indented name, a bar placed by start
// and duration, coloured by category, errors marked). Rows are virtualized: only the rows in view
// (plus a margin) are in the DOM, so a trace of thousands of spans renders as fast as a small one.
import type { Span } from '../model.js';
import { clear, h, safeClass } from './dom.js';
import { formatDuration, relativeMs, toBigInt } from './format.js';
import { categoryOf, str, type Category } from './spans.js';

/** A span placed in the tree. */
export interface TreeNode {
  readonly span: Span;
  readonly category: Category;
  /** Ms from the trace's start. */
  readonly startMs: number;
  readonly durationMs: number;
  readonly depth: number;
  readonly children: TreeNode[];
  parent: TreeNode | undefined;
  /** A parent id that names no span of the trace (a part not received). */
  readonly orphan: boolean;
}

/** The tree of a trace: roots in start order, and every node by span id. */
export interface SpanTree {
  readonly roots: readonly TreeNode[];
  readonly byId: ReadonlyMap<string, TreeNode>;
  readonly baseNs: bigint;
  readonly totalMs: number;
}

/** Builds the span tree (children in start order; a span whose parent is missing becomes a root). */
export function buildTree(spans: readonly Span[]): SpanTree {
  let baseNs: bigint | undefined;
  let endNs: bigint | undefined;
  for (const span of spans) {
    const start = toBigInt(span.startTimeUnixNano);
    const end = toBigInt(span.endTimeUnixNano);
    if (baseNs === undefined || start < baseNs) baseNs = start;
    if (endNs === undefined || end > endNs) endNs = end;
  }
  const base = baseNs ?? 0n;
  const totalMs = Math.max(0, Number((endNs ?? base) - base) / 1e6);
  const byId = new Map<string, TreeNode>();
  const nodes: TreeNode[] = [];
  for (const span of spans) {
    const startMs = relativeMs(span.startTimeUnixNano, base);
    const node: TreeNode = {
      span,
      category: categoryOf(span),
      startMs,
      durationMs: Math.max(0, relativeMs(span.endTimeUnixNano, base) - startMs),
      depth: 0,
      children: [],
      parent: undefined,
      orphan: false,
    };
    nodes.push(node);
    if (!byId.has(span.spanId)) byId.set(span.spanId, node);
  }
  const roots: TreeNode[] = [];
  for (const node of nodes) {
    const parentId = node.span.parentSpanId;
    const parent = parentId ? byId.get(parentId) : undefined;
    if (parent && parent !== node && byId.get(node.span.spanId) === node) {
      node.parent = parent;
      parent.children.push(node);
    } else {
      if (parentId) (node as { orphan: boolean }).orphan = true;
      roots.push(node);
    }
  }
  // Spans in a parent cycle are reachable from no root: show them as roots.
  const reached = new Set<TreeNode>();
  const walk: TreeNode[] = [...roots];
  while (walk.length) {
    const node = walk.pop() as TreeNode;
    reached.add(node);
    walk.push(...node.children);
  }
  for (const node of nodes) {
    if (!reached.has(node) && byId.get(node.span.spanId) === node) {
      node.parent?.children.splice(node.parent.children.indexOf(node), 1);
      node.parent = undefined;
      roots.push(node);
    }
  }
  // Depths and child order, iteratively (deep traces must not overflow the stack).
  const byStart = (a: TreeNode, b: TreeNode) => a.startMs - b.startMs;
  roots.sort(byStart);
  const stack: TreeNode[] = [...roots];
  for (const root of roots) (root as { depth: number }).depth = 0;
  while (stack.length) {
    const node = stack.pop() as TreeNode;
    node.children.sort(byStart);
    for (const child of node.children) {
      (child as { depth: number }).depth = node.depth + 1;
      stack.push(child);
    }
  }
  return { roots, byId, baseNs: base, totalMs };
}

const ROW_HEIGHT = 26;
const OVERSCAN = 12;
const MAX_INDENT = 40;

export interface WaterfallOptions {
  readonly tree: SpanTree;
  readonly selected?: string;
  readonly onSelect: (spanId: string) => void;
}

export interface Waterfall {
  readonly element: HTMLElement;
  /** Selects a span (expanding its ancestors and scrolling it into view). */
  select(spanId: string, options?: { scroll?: boolean }): void;
  /** Lays out the rows in view (after the element is attached). */
  refresh(): void;
  /** Removes the window listener. */
  destroy(): void;
}

/** Creates the waterfall for `tree`. */
export function createWaterfall(options: WaterfallOptions): Waterfall {
  const { tree } = options;
  const collapsed = new Set<TreeNode>();
  let visible: TreeNode[] = [];
  let selected = options.selected ? tree.byId.get(options.selected) : undefined;
  let frame = 0;
  let filter = '';

  const spacer = h('div', 'wf-spacer');
  const rowsBox = h('div', 'wf-rows');
  spacer.append(rowsBox);
  const viewport = h(
    'div',
    {
      class: 'wf-viewport',
      attrs: { tabindex: 0, role: 'tree', 'aria-label': 'Spans: arrows to move, left/right to fold' },
    },
    spacer,
  );
  const search = h('input', {
    class: 'wf-search',
    attrs: { type: 'search', placeholder: 'Find span by name…', 'aria-label': 'Find span by name' },
  });
  const matches = h('span', 'wf-matches');
  const element = h(
    'div',
    'waterfall',
    h(
      'div',
      'wf-toolbar',
      search,
      matches,
      h(
        'span',
        'legend',
        ['workflow', 'agent', 'model', 'tool', 'retrieval', 'mcp', 'other'].map((c) =>
          h('span', `legend-item cat-${c}`, c),
        ),
      ),
    ),
    h('div', 'wf-head', h('div', 'wf-name', 'Span'), axis(tree.totalMs)),
    viewport,
  );

  viewport.addEventListener('scroll', () => schedule());
  window.addEventListener('resize', schedule);
  viewport.addEventListener('keydown', onKey);
  search.addEventListener('input', () => {
    filter = search.value.trim().toLowerCase();
    updateMatches();
    schedule();
  });
  search.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !filter) return;
    event.preventDefault();
    const all = allNodes().filter((n) => n.span.name.toLowerCase().includes(filter));
    if (all.length === 0) return;
    const at = selected ? all.indexOf(selected) : -1;
    const next = all[(at + (event.shiftKey ? all.length - 1 : 1)) % all.length];
    choose(next);
  });

  recompute();

  function allNodes(): TreeNode[] {
    const out: TreeNode[] = [];
    const stack = [...tree.roots].reverse();
    while (stack.length) {
      const node = stack.pop() as TreeNode;
      out.push(node);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
    return out;
  }

  function updateMatches(): void {
    if (!filter) {
      matches.textContent = '';
      return;
    }
    let n = 0;
    for (const node of tree.byId.values()) if (node.span.name.toLowerCase().includes(filter)) n++;
    matches.textContent = `${n} match${n === 1 ? '' : 'es'} (Enter: next)`;
  }

  function recompute(): void {
    visible = [];
    const stack = [...tree.roots].reverse();
    while (stack.length) {
      const node = stack.pop() as TreeNode;
      visible.push(node);
      if (collapsed.has(node)) continue;
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
    spacer.style.setProperty('height', `${visible.length * ROW_HEIGHT}px`);
    draw();
  }

  function schedule(): void {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      draw();
    });
  }

  function draw(): void {
    const height = viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(visible.length, Math.ceil((viewport.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    rowsBox.style.setProperty('transform', `translateY(${first * ROW_HEIGHT}px)`);
    clear(rowsBox);
    const total = tree.totalMs || 1;
    for (let i = first; i < last; i++) rowsBox.append(row(visible[i], total));
  }

  function row(node: TreeNode, total: number): HTMLElement {
    const span = node.span;
    const isError = span.status.code === 'ERROR';
    const hasChildren = node.children.length > 0;
    const isCollapsed = collapsed.has(node);
    const label = h('span', 'wf-label', span.name || '(no name)');
    const detail =
      str(span.attributes, 'gen_ai.response.model') ??
      str(span.attributes, 'gen_ai.request.model') ??
      str(span.attributes, 'gen_ai.tool.name');
    const name = h(
      'div',
      'wf-name',
      hasChildren
        ? h(
            'button',
            {
              class: 'wf-toggle',
              attrs: {
                type: 'button',
                tabindex: -1,
                'aria-label': isCollapsed ? 'Expand' : 'Collapse',
              },
              on: {
                click: (event) => {
                  event.stopPropagation();
                  toggle(node);
                },
              },
            },
            isCollapsed ? '▸' : '▾',
          )
        : h('span', 'wf-toggle-space'),
      h('span', `wf-dot cat-${node.category}`),
      label,
      detail && !span.name.includes(detail) ? h('span', 'wf-detail', detail) : null,
      isCollapsed ? h('span', 'wf-count', `+${countDescendants(node)}`) : null,
      isError ? h('span', 'badge badge-error', 'error') : null,
    );
    name.style.setProperty('--depth', String(Math.min(node.depth, MAX_INDENT)));
    const left = (node.startMs / total) * 100;
    const width = Math.max((node.durationMs / total) * 100, 0.15);
    const bar = h('div', `wf-bar cat-${safeClass(node.category)}${isError ? ' is-error' : ''}`);
    bar.style.setProperty('left', `${Math.min(left, 99.85)}%`);
    bar.style.setProperty('width', `${Math.min(width, 100 - Math.min(left, 99.85))}%`);
    const duration = h('span', 'wf-dur', formatDuration(node.durationMs));
    if (left + width > 75) duration.classList.add('wf-dur-left');
    duration.style.setProperty(
      left + width > 75 ? 'right' : 'left',
      left + width > 75 ? `${100 - left}%` : `${left + width}%`,
    );
    const classes = ['wf-row', `cat-${node.category}`];
    if (isError) classes.push('is-error');
    if (node === selected) classes.push('selected');
    if (filter && span.name.toLowerCase().includes(filter)) classes.push('match');
    return h(
      'div',
      {
        class: classes.join(' '),
        attrs: {
          role: 'treeitem',
          'aria-level': node.depth + 1,
          'aria-selected': node === selected ? 'true' : 'false',
          'aria-expanded': hasChildren ? String(!isCollapsed) : undefined,
          'data-span-id': span.spanId,
          'data-category': node.category,
        },
        on: { click: () => choose(node) },
      },
      name,
      h('div', 'wf-track', bar, duration),
    );
  }

  function countDescendants(node: TreeNode): number {
    let n = 0;
    const stack = [...node.children];
    while (stack.length) {
      const next = stack.pop() as TreeNode;
      n++;
      stack.push(...next.children);
    }
    return n;
  }

  function toggle(node: TreeNode): void {
    if (collapsed.has(node)) collapsed.delete(node);
    else collapsed.add(node);
    recompute();
  }

  function choose(node: TreeNode): void {
    selectNode(node, true);
    options.onSelect(node.span.spanId);
  }

  function selectNode(node: TreeNode, scroll: boolean): void {
    selected = node;
    let changed = false;
    for (let p = node.parent; p; p = p.parent) {
      if (collapsed.delete(p)) changed = true;
    }
    if (changed) recompute();
    if (scroll) {
      const index = visible.indexOf(node);
      const top = index * ROW_HEIGHT;
      const height = viewport.clientHeight || 600;
      if (top < viewport.scrollTop) viewport.scrollTop = top;
      else if (top + ROW_HEIGHT > viewport.scrollTop + height) viewport.scrollTop = top + ROW_HEIGHT - height;
    }
    draw();
  }

  function onKey(event: KeyboardEvent): void {
    const index = selected ? visible.indexOf(selected) : -1;
    let next: TreeNode | undefined;
    switch (event.key) {
      case 'ArrowDown':
        next = visible[Math.min(visible.length - 1, index + 1)];
        break;
      case 'ArrowUp':
        next = visible[Math.max(0, index - 1)];
        break;
      case 'Home':
        next = visible[0];
        break;
      case 'End':
        next = visible[visible.length - 1];
        break;
      case 'ArrowLeft':
        if (selected && selected.children.length && !collapsed.has(selected)) toggle(selected);
        else next = selected?.parent;
        break;
      case 'ArrowRight':
        if (selected && collapsed.has(selected)) toggle(selected);
        else next = selected?.children[0];
        break;
      default:
        return;
    }
    event.preventDefault();
    if (next) choose(next);
  }

  return {
    element,
    select(spanId, { scroll = true } = {}) {
      const node = tree.byId.get(spanId);
      if (node) selectNode(node, scroll);
    },
    refresh() {
      draw();
    },
    destroy() {
      window.removeEventListener('resize', schedule);
      if (frame) cancelAnimationFrame(frame);
    },
  };
}

/** The time axis: five ticks across the trace's duration. */
function axis(totalMs: number): HTMLElement {
  const element = h('div', 'wf-axis');
  for (let i = 0; i <= 4; i++) {
    const tick = h('span', `wf-tick${i === 4 ? ' wf-tick-last' : ''}`, formatDuration((totalMs * i) / 4));
    tick.style.setProperty('left', `${i * 25}%`);
    element.append(tick);
  }
  return element;
}
