// Site search with Pagefind's JavaScript API; our own form and result list,
// so the interface is the site's (Finnish) and accessible. The index lives in
// /pagefind/, written by the build.
const root = document.querySelector("[data-search]");
const form = root.querySelector("[data-search-form]");
const status = root.querySelector("[data-search-status]");
const list = root.querySelector("[data-search-results]");
const text = (name) => root.getAttribute("data-text-" + name) || "";
let loading = null;  // one import, however many searches start before it ends
let latest = 0;

function engine() {
  if (!loading) {
    loading = import(root.getAttribute("data-bundle") + "pagefind.js").then(async (pagefind) => {
      await pagefind.options({ excerptLength: 24 });
      pagefind.init();
      return pagefind;
    });
  }
  return loading;
}

function filters() {
  const chosen = {};
  if (form.elements.osio.value) chosen.osio = form.elements.osio.value;
  if (form.elements.maakunta.value) chosen.maakunta = form.elements.maakunta.value;
  return chosen;
}

function remember(query) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const [key, value] of Object.entries(filters())) params.set(key, value);
  const search = params.toString();
  history.replaceState(null, "", search ? "?" + search : location.pathname);
}

function show(results, query) {
  list.textContent = "";
  for (const result of results) {
    const item = document.createElement("li");
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = result.url;
    link.textContent = result.meta.title || result.url;
    heading.appendChild(link);
    const excerpt = document.createElement("p");
    excerpt.innerHTML = result.excerpt;  // Pagefind escapes the text and adds only <mark>
    item.append(heading, excerpt);
    list.appendChild(item);
  }
  const count = results.length;
  status.textContent = count === 0 ? text("none").replace("{query}", query)
    : count === 1 ? text("one").replace("{query}", query)
    : text("count").replace("{count}", count).replace("{query}", query);
}

async function run() {
  const query = form.elements.q.value.trim();
  const ticket = ++latest;
  remember(query);
  if (!query) {
    list.textContent = "";
    status.textContent = "";
    return;
  }
  status.textContent = text("searching");
  try {
    const search = await (await engine()).search(query, { filters: filters() });
    const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
    if (ticket === latest) show(results, query);
  } catch (error) {
    status.textContent = text("error");
  }
}

// Typing waits for a pause; a filter or Enter searches at once. A <select>
// fires both "input" and "change": only "change" counts for it.
let timer = null;
const now = () => { clearTimeout(timer); run(); };
form.addEventListener("input", (event) => {
  if (event.target !== form.elements.q) return;
  clearTimeout(timer);
  timer = setTimeout(run, 250);
});
form.addEventListener("change", (event) => { if (event.target !== form.elements.q) now(); });
form.addEventListener("submit", (event) => { event.preventDefault(); now(); });

const params = new URLSearchParams(location.search);
form.elements.q.value = params.get("q") || "";
form.elements.osio.value = params.get("osio") || "";
form.elements.maakunta.value = params.get("maakunta") || "";
if (form.elements.q.value) run();
