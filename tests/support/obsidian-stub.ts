/**
 * A stand-in for the `obsidian` module in tests (the package ships types only). Files and
 * folders are the headless host's classes, so `instanceof TFile` works on host files; UI
 * classes are small recording fakes; `requestUrl` goes through Node's fetch.
 */
import { parse as yamlParse, stringify as yamlStringify } from "yaml";
export { TAbstractFile, TFile, TFolder } from "../../headless/host";

// Obsidian code calls window.setTimeout (popout-safe); in Node the global object stands in.
(globalThis as { window?: unknown }).window ??= globalThis;

export class FakeEl {
	children: FakeEl[] = [];
	text = "";
	classes = new Set<string>();
	attrs: Record<string, string> = {};
	listeners: Record<string, Array<() => void>> = {};
	rows = 1;
	removed = false;
	constructor(public tag = "div") {}
	createEl(tag: string, o?: { text?: string; cls?: string }): FakeEl {
		const el = new FakeEl(tag);
		if (o?.text) el.text = o.text;
		if (o?.cls) el.classes.add(o.cls);
		this.children.push(el);
		return el;
	}
	createDiv(o?: { text?: string; cls?: string }): FakeEl {
		return this.createEl("div", o);
	}
	createSpan(o?: { text?: string; cls?: string }): FakeEl {
		return this.createEl("span", o);
	}
	setText(t: string): void {
		this.text = t;
	}
	empty(): void {
		this.children = [];
		this.text = "";
	}
	addClass(c: string): void {
		this.classes.add(c);
	}
	setAttr(k: string, v: string): void {
		this.attrs[k] = v;
	}
	addEventListener(name: string, fn: () => void): void {
		(this.listeners[name] ??= []).push(fn);
	}
	removeEventListener(name: string, fn: () => void): void {
		this.listeners[name] = (this.listeners[name] ?? []).filter((f) => f !== fn);
	}
	click(): void {
		for (const fn of this.listeners.click ?? []) fn();
	}
	remove(): void {
		this.removed = true;
	}
	/** All text in this element and its descendants. */
	allText(): string {
		return [this.text, ...this.children.map((c) => c.allText())].filter(Boolean).join("\n");
	}
}

export class Notice {
	static messages: string[] = [];
	/** Notices on screen: shown and not hidden yet. */
	static visible = new Set<Notice>();
	constructor(public message: string, public timeout?: number) {
		Notice.messages.push(message);
		Notice.visible.add(this);
	}
	setMessage(message: string): this {
		this.message = message;
		Notice.messages.push(message);
		return this;
	}
	hide(): void {
		Notice.visible.delete(this);
	}
}

export const Platform = { isDesktop: true, isMobile: false, isDesktopApp: false, isMobileApp: false, isIosApp: false, isAndroidApp: false };

export class App {}

export class Component {
	load(): void {}
	unload(): void {}
}

class BaseComponent {
	disabled = false;
	setDisabled(d: boolean): this {
		this.disabled = d;
		return this;
	}
}

class ValueComponent<T> extends BaseComponent {
	value!: T;
	changeHandler: ((v: T) => unknown) | null = null;
	setValue(v: T): this {
		this.value = v;
		return this;
	}
	getValue(): T {
		return this.value;
	}
	onChange(cb: (v: T) => unknown): this {
		this.changeHandler = cb;
		return this;
	}
	setPlaceholder(_p: string): this {
		return this;
	}
}

export class TextComponent extends ValueComponent<string> {
	inputEl = new FakeEl("input");
}
export class TextAreaComponent extends ValueComponent<string> {
	inputEl = new FakeEl("textarea");
}
export class ToggleComponent extends ValueComponent<boolean> {}
export class SliderComponent extends ValueComponent<number> {
	setLimits(): this {
		return this;
	}
	setDynamicTooltip(): this {
		return this;
	}
}
export class DropdownComponent extends ValueComponent<string> {
	selectEl = new FakeEl("select");
	options: Array<[string, string]> = [];
	addOption(v: string, label: string): this {
		this.options.push([v, label]);
		return this;
	}
}
export class ButtonComponent extends BaseComponent {
	text = "";
	handler: (() => unknown) | null = null;
	setButtonText(t: string): this {
		this.text = t;
		return this;
	}
	setCta(): this {
		return this;
	}
	onClick(cb: () => unknown): this {
		this.handler = cb;
		return this;
	}
}
export class SecretComponent extends ValueComponent<string> {
	constructor(_app: unknown, _el: unknown) {
		super();
	}
}

export class Setting {
	static all: Setting[] = [];
	name = "";
	desc = "";
	heading = false;
	components: unknown[] = [];
	constructor(public containerEl: unknown) {
		Setting.all.push(this);
	}
	setName(n: string): this {
		this.name = n;
		return this;
	}
	setDesc(d: string): this {
		this.desc = d;
		return this;
	}
	setHeading(): this {
		this.heading = true;
		return this;
	}
	private add<T>(c: T, cb: (c: T) => unknown): this {
		this.components.push(c);
		cb(c);
		return this;
	}
	addText(cb: (c: TextComponent) => unknown): this {
		return this.add(new TextComponent(), cb);
	}
	addTextArea(cb: (c: TextAreaComponent) => unknown): this {
		return this.add(new TextAreaComponent(), cb);
	}
	addToggle(cb: (c: ToggleComponent) => unknown): this {
		return this.add(new ToggleComponent(), cb);
	}
	addDropdown(cb: (c: DropdownComponent) => unknown): this {
		return this.add(new DropdownComponent(), cb);
	}
	addSlider(cb: (c: SliderComponent) => unknown): this {
		return this.add(new SliderComponent(), cb);
	}
	addButton(cb: (c: ButtonComponent) => unknown): this {
		return this.add(new ButtonComponent(), cb);
	}
	addComponent(cb: (el: FakeEl) => unknown): this {
		this.components.push(cb(new FakeEl()));
		return this;
	}
}

export class Modal {
	contentEl = new FakeEl();
	titleEl = new FakeEl();
	title = "";
	isOpen = false;
	constructor(public app: unknown) {}
	setTitle(t: string): this {
		this.title = t;
		return this;
	}
	open(): void {
		this.isOpen = true;
		this.onOpen();
	}
	close(): void {
		if (!this.isOpen) return;
		this.isOpen = false;
		this.onClose();
	}
	onOpen(): void {}
	onClose(): void {}
}

export class PluginSettingTab {
	containerEl = new FakeEl();
	constructor(public app: unknown, public plugin: unknown) {}
	display(): void {}
	getSettingDefinitions(): unknown[] {
		return [];
	}
}

export interface Command {
	id: string;
	name: string;
	checkCallback?: (checking: boolean) => boolean | void;
	callback?: () => unknown;
}

export class Plugin extends Component {
	commands: Command[] = [];
	ribbon: Array<{ icon: string; title: string; callback: () => unknown }> = [];
	events: unknown[] = [];
	settingTabs: unknown[] = [];
	statusBarItems: FakeEl[] = [];
	data: unknown = null;
	constructor(public app: unknown, public manifest: unknown) {
		super();
	}
	addCommand(c: Command): Command {
		this.commands.push(c);
		return c;
	}
	addRibbonIcon(icon: string, title: string, callback: () => unknown): FakeEl {
		this.ribbon.push({ icon, title, callback });
		return new FakeEl();
	}
	registerEvent(ref: unknown): void {
		this.events.push(ref);
	}
	addSettingTab(tab: unknown): void {
		this.settingTabs.push(tab);
	}
	addStatusBarItem(): FakeEl {
		const el = new FakeEl();
		this.statusBarItems.push(el);
		return el;
	}
	async loadData(): Promise<unknown> {
		return this.data;
	}
	async saveData(d: unknown): Promise<void> {
		this.data = JSON.parse(JSON.stringify(d));
	}
}

export class Menu {}

export function normalizePath(p: string): string {
	return p.replace(/[\\/]+/g, "/").replace(/^\/+|\/+$/g, "") || "/";
}

/** Obsidian's requestUrl, buffered, through Node's fetch (loopback only in tests). */
export function requestUrl(req: { url: string; method?: string; headers?: Record<string, string>; body?: string | ArrayBuffer; throw?: boolean }): Promise<{
	status: number;
	headers: Record<string, string>;
	arrayBuffer: ArrayBuffer;
	text: string;
	json: unknown;
}> {
	requestUrl.calls.push(req);
	return (async () => {
		const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
		const arrayBuffer = await res.arrayBuffer();
		const text = new TextDecoder().decode(arrayBuffer);
		const headers: Record<string, string> = {};
		res.headers.forEach((v, k) => (headers[k] = v));
		if (req.throw !== false && res.status >= 400) throw new Error(`Request failed, status ${res.status}`);
		let json: unknown = null;
		try {
			json = JSON.parse(text);
		} catch {
			json = null;
		}
		return { status: res.status, headers, arrayBuffer, text, json };
	})();
}
requestUrl.calls = [] as Array<{ url: string; headers?: Record<string, string> }>;

/**
 * Obsidian's YAML functions, with the `yaml` package standing in (the app's own are not
 * available outside it). stringifyYaml takes no options in the app, so none are passed here.
 */
export function parseYaml(text: string): unknown {
	return yamlParse(text);
}
export function stringifyYaml(value: unknown): string {
	return yamlStringify(value);
}
