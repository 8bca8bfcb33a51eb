// DOM construction for the viewer. Every value shown comes from spans (prompts, model output, tool
// arguments, metadata) and is untrusted: it reaches the page only as text nodes and attribute
// values through createElement / textContent / setAttribute — never as markup. Styles come from
// classes in styles.css; positions and sizes that depend on data go through the CSSOM
// (`style.setProperty`), which the Content-Security-Policy allows, unlike style attributes.

/** Something that can be a child: a node, text (numbers as text), or nothing. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

/** Element options: class names, attributes, event listeners. */
export interface Props {
  /** Space-separated class names (ours; never built from span data without `safeClass`). */
  readonly class?: string;
  /** Attributes, set with setAttribute; `undefined` / `false` skips one, `true` sets it empty. */
  readonly attrs?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Event listeners. */
  readonly on?: { readonly [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

/** Creates an HTML element with class names, attributes, listeners and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | string | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  applyProps(element, typeof props === 'string' ? { class: props } : props);
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes and children. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs?: Readonly<Record<string, string | number | undefined>> | null,
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value !== undefined) element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function applyProps(element: HTMLElement, props: Props | null | undefined): void {
  if (!props) return;
  if (props.class) element.className = props.class;
  if (props.attrs) {
    for (const [name, value] of Object.entries(props.attrs)) {
      if (value === undefined || value === false) continue;
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  if (props.on) {
    for (const [type, listener] of Object.entries(props.on)) {
      if (listener) element.addEventListener(type, listener as EventListener);
    }
  }
}

/** Appends children (text as text nodes). */
export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child as readonly Child[]);
    else if (typeof child === 'string' || typeof child === 'number')
      parent.appendChild(document.createTextNode(String(child)));
    else parent.appendChild(child as Node);
  }
}

/** Removes every child of `node`. */
export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** Replaces every child of `node` with `children`. */
export function replace(node: Node, ...children: Child[]): void {
  clear(node);
  append(node, children);
}

/** A class-name suffix from data, reduced to [a-z0-9-] (used for role / category classes). */
export function safeClass(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 40);
}

/** An in-app link (`path` is ours, built from encoded ids); the router handles the click. */
export function link(path: string, props: Props | string | null, ...children: Child[]): HTMLAnchorElement {
  const base: Props = typeof props === 'string' ? { class: props } : (props ?? {});
  return h('a', { ...base, attrs: { ...base.attrs, href: path, 'data-route': '' } }, ...children);
}

/** A `<datalist>` with these options. */
export function datalist(id: string, values: readonly string[]): HTMLDataListElement {
  return h('datalist', { attrs: { id } }, ...values.map((value) => h('option', { attrs: { value } })));
}
