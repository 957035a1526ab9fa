/**
 * What `GET /` answers until the web app lands: what the service is and how to start using its
 * API. Static on purpose: it is public, so it shows nothing of this instance (no tenant, no host,
 * no path of the data directory, no version) and echoes nothing of the request.
 */
export const HOME_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Entra HR Connector</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}code,pre{background:#f3f3f3;padding:0 .2rem}pre{padding:.6rem;overflow-x:auto}</style>
</head>
<body>
<h1>Entra HR Connector</h1>
<p>An HR system fed from Microsoft Entra ID: members of the synced Entra groups become HR users, leavers are
deactivated, Entra groups map to HR roles. Everything is driven through the admin API below; the web app comes later.</p>
<h2>Links</h2>
<ul>
<li><a href="/openapi.json">/openapi.json</a>: the API description (OpenAPI 3.1), every route with its input</li>
<li><a href="/healthz">/healthz</a>: the process is up; <a href="/readyz">/readyz</a>: the database and the job store answer</li>
</ul>
<h2>Calling the API</h2>
<p>Every route under <code>/api</code> needs an API token. Unless <code>ADMIN_TOKEN</code> is configured, the service wrote
the first administrator's token on its first start to the file <code>admin-token</code> in its data directory
(<code>DATA_DIR</code>, <code>.data</code> by default), readable by the service's user only. Send it as a bearer token:</p>
<pre>curl -H "Authorization: Bearer $(cat .data/admin-token)" http://127.0.0.1:3000/api/admin/sync/status</pre>
<h2>A first sync</h2>
<ol>
<li>Connect Entra: <code>PUT /api/admin/connection</code> (or the <code>ENTRA_*</code> variables); in demo mode the built-in emulator is connected already.</li>
<li>Choose the synced groups: <code>GET /api/admin/groups</code>, then <code>PUT /api/admin/synced-groups</code>.</li>
<li>Sync now: <code>POST /api/admin/sync/run</code>, then follow it in <code>GET /api/admin/sync/runs</code>. After that the sync runs on its schedule (<code>GET /api/admin/settings</code>).</li>
</ol>
</body>
</html>
`;
