// A tiny render helper: build a fresh element tree with h(), then patch() the live
// DOM towards it so focus, caret and scroll survive a re-render (keyboard users and
// people typing must not lose their place when the partner's view changes).
// Text is only ever set through text nodes: never markup.

export type Child = Node | string | number | null | undefined | false | Child[];
type Handler = (ev: Event) => void;
export interface Props {
  [key: string]: unknown;
}

interface Handled {
  __on?: Record<string, Handler>;
  __props?: Record<string, unknown>; // DOM properties given to h(): only these are synced
}

const BOOL_PROPS = new Set(["disabled", "checked", "hidden", "selected", "required", "open"]);
const VALUE_PROPS = new Set(["value"]);
const SVG_NS = "http://www.w3.org/2000/svg";

export function h(tag: string, props: Props | null = null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  append(el, children);
  apply(el, props); // after the children, so a <select>'s value finds its option
  return el;
}

export function svg(tag: string, attrs: Record<string, string>, ...children: Element[]): Element {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.appendChild(c);
  return el;
}

function apply(el: HTMLElement, props: Props | null): void {
  if (!props) return;
  for (const [key, value] of Object.entries(props)) {
    if (BOOL_PROPS.has(key) || VALUE_PROPS.has(key)) {
      const v = BOOL_PROPS.has(key) ? Boolean(value) : value ?? "";
      ((el as Handled).__props ??= {})[key] = v;
      (el as unknown as Record<string, unknown>)[key] = v;
      if (BOOL_PROPS.has(key) && v) el.setAttribute(key, "");
      continue;
    }
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      const bag = ((el as Handled).__on ??= {});
      bag[key.slice(2).toLowerCase()] = value as Handler;
    } else if (key === "defaultValue") {
      el.setAttribute("value", String(value)); // a starting value the person may change
    } else if (key === "class") {
      el.className = String(value);
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
}

function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (typeof c === "string" || typeof c === "number")
      el.appendChild(document.createTextNode(String(c)));
    else el.appendChild(c);
  }
}

// Events are delegated from the root so patched nodes keep working with new handlers.
export function listen(root: HTMLElement): void {
  for (const type of ["click", "input", "change", "submit", "keydown", "focusin", "touchstart", "touchend"]) {
    root.addEventListener(type, (ev) => {
      let node = ev.target as Node | null;
      while (node && node !== root.parentNode) {
        const fn = (node as Handled).__on?.[type];
        if (fn) {
          fn(ev);
          return;
        }
        node = node.parentNode;
      }
    }, { passive: type.startsWith("touch") }); // a swipe never blocks scrolling
  }
}

function sameKind(a: Node, b: Node): boolean {
  if (a.nodeType !== b.nodeType) return false;
  if (a.nodeType !== Node.ELEMENT_NODE) return true;
  const ea = a as Element;
  const eb = b as Element;
  return ea.tagName === eb.tagName && ea.getAttribute("data-key") === eb.getAttribute("data-key");
}

export function patch(live: Element, next: Element): void {
  const liveKids = Array.from(live.childNodes);
  const nextKids = Array.from(next.childNodes);
  nextKids.forEach((n, i) => {
    const l = liveKids[i];
    if (l && sameKind(l, n)) update(l, n);
    else if (l) live.replaceChild(n, l);
    else live.appendChild(n);
  });
  for (let i = nextKids.length; i < liveKids.length; i++) live.removeChild(liveKids[i]);
}

function update(live: Node, next: Node): void {
  if (live.nodeType !== Node.ELEMENT_NODE) {
    if (live.nodeValue !== next.nodeValue) live.nodeValue = next.nodeValue;
    return;
  }
  const l = live as HTMLElement;
  const n = next as HTMLElement;
  for (const attr of Array.from(l.attributes)) {
    // A dialog's "open" belongs to showModal()/close() (see syncSheets in ui/sheet.ts).
    if (attr.name === "open" && l.tagName === "DIALOG") continue;
    if (!n.hasAttribute(attr.name)) l.removeAttribute(attr.name);
  }
  for (const attr of Array.from(n.attributes)) {
    if (l.getAttribute(attr.name) !== attr.value) l.setAttribute(attr.name, attr.value);
  }
  (l as Handled).__on = (n as Handled).__on;
  if (l.tagName.toLowerCase() === "svg") {
    l.replaceWith(n);
    return;
  }
  // Read the new props before patching: patching moves n's children (a select's options).
  const props = (n as Handled).__props ?? {};
  (l as Handled).__props = props;
  // Moving options out of the new <select> reselects among them: keep the live choice.
  const sel = l instanceof HTMLSelectElement && !("value" in props) ? l.value : null;
  patch(l, n);
  if (sel !== null) keepChoice(l as HTMLSelectElement, sel);
  writeProps(l, props);
}

function keepChoice(sel: HTMLSelectElement, value: string): void {
  const found = Array.from(sel.options).findIndex((o) => o.value === value);
  sel.selectedIndex = found >= 0 ? found : 0;
}

function writeProps(l: HTMLElement, props: Record<string, unknown>): void {
  const lr = l as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(props)) {
    if (lr[key] === value) continue;
    // A field the person is typing in keeps its own value: the draft is the truth.
    if (key === "value" && document.activeElement === l) continue;
    lr[key] = value;
  }
}
