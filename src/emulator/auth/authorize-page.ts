/** A user the sign-in page offers. */
export interface PickableUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f3f2f1;color:#201f1e}
main{max-width:34rem;margin:2rem auto;background:#fff;padding:1.5rem;border-radius:4px;box-shadow:0 1px 4px #0003}
h1{font-size:1.4rem;margin:0 0 .5rem}p{line-height:1.4}label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input[type=search]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #605e5c;border-radius:2px}
ul{list-style:none;padding:0;margin:1rem 0 0}li{margin:.25rem 0}
button{width:100%;text-align:left;padding:.6rem .75rem;font-size:1rem;border:1px solid #8a8886;background:#fff;border-radius:2px;cursor:pointer;color:#201f1e}
button:hover,button:focus{background:#edebe9;outline:2px solid #0078d4}.upn{display:block;font-size:.85rem;color:#484644}
.search{display:flex;gap:.5rem;align-items:end}.search div{flex:1}.search button{width:auto}
@media (max-width:480px){main{margin:0;border-radius:0;box-shadow:none}}`;

/** Text for HTML: the page repeats request parameters, which a caller controls. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function hiddenFields(params: URLSearchParams, skip: readonly string[]): string {
  return [...params]
    .filter(([name]) => !skip.includes(name))
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
}

/**
 * The emulator's stand-in for Entra's sign-in page: no password, the person picks a user of the
 * demo tenant. The search is a GET of the same authorize URL; the pick is a POST of it, carrying
 * the authorization request's parameters as hidden fields.
 */
export function pickUserPage(options: {
  action: string;
  params: URLSearchParams;
  search: string;
  users: PickableUser[];
  matches: number;
}): string {
  const { params, search, users, matches } = options;
  const action = escapeHtml(options.action);
  const list = users
    .map(
      (u) =>
        `<li><button type="submit" name="emulator_user" value="${escapeHtml(u.id)}">${escapeHtml(u.displayName)}<span class="upn">${escapeHtml(u.userPrincipalName)}</span></button></li>`,
    )
    .join('');
  const shown =
    matches > users.length
      ? `<p>${users.length} of ${matches} people shown: narrow the search to find others.</p>`
      : `<p>${matches} ${matches === 1 ? 'person' : 'people'} found.</p>`;
  return page(
    'Sign in – Graph emulator',
    `<h1>Sign in</h1><p>Graph emulator: pick the demo tenant's user to sign in as. No password is asked.</p>
<form method="get" action="${action}" class="search">${hiddenFields(params, ['emulator_search'])}
<div><label for="emulator_search">Search people</label><input type="search" id="emulator_search" name="emulator_search" value="${escapeHtml(search)}" autocomplete="off"></div>
<button type="submit">Search</button></form>
${shown}<form method="post" action="${action}">${hiddenFields(params, ['emulator_search', 'emulator_user'])}<ul aria-label="People">${list}</ul></form>`,
  );
}

/** Entra shows errors it cannot send to a verified redirect URI on its own page. */
export function errorPage(code: number, text: string): string {
  return page(
    'Sign in – error',
    `<h1>Sorry, but we're having trouble signing you in.</h1><p>AADSTS${code}: ${escapeHtml(text)}</p>`,
  );
}
