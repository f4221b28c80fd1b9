// Exercise: api-client (lesson 8, "HTTP and APIs").
//
// A client for a JSON API shaped like jsonplaceholder.typicode.com/users.
// API_URL is the API's base URL (no trailing slash; it may have a path, like
// http://127.0.0.1:8080/api), and the one argument is a user id. GET
// `${API_URL}/users/${id}` and print exactly three lines, then exit with code 0:
//   User: <name>
//   Email: <email>
//   Company: <company.name>
// Anything else is an error: print it on stderr, nothing on stdout, exit code 1.
//   - a status other than 200 (after redirects, which fetch follows for you):
//     "Error: Unable to fetch user data. Status code: <code>", exactly;
//   - a body that is not JSON, or a field that is missing or not a string:
//     "Error: <reason>", naming the field ("Error: missing field company.name");
//   - no connection, or no complete answer within 5 s: "Error: <reason>".
// No id, or no API_URL: "Error: <usage>" on stderr and exit code 2.
//
// Try it:   API_URL=https://jsonplaceholder.typicode.com npx socketlings run api-client -- 1
//           (or against your own API: curl -i "$API_URL/users/1" shows what it answers)
// Grade it: npx socketlings grade api-client
// Stuck?    npx socketlings hint api-client

const apiUrl = process.env.API_URL;
const id = process.argv[2];

async function main(): Promise<number> {
  if (!apiUrl || !id) {
    console.error("Error: usage: API_URL=<base url> api-client <id>");
    return 2;
  }
  const url = `${apiUrl}/users/${id}`;
  // TODO: const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  //       The signal gives up after 5 s, while the body is read too. Catch what
  //       fetch throws (a refused connection, the timeout) and report it.
  // TODO: a status other than 200? Print the contract's line and return 1.
  // TODO: parse the body (res.json(), or JSON.parse(await res.text())) in a try/catch.
  // TODO: check that name, email and company.name are strings before printing anything.
  // TODO: print the three lines with console.log and return 0.
  console.error(`TODO: GET ${url} and print the user's name, email and company`);
  return 1;
}

// Set the exit code instead of calling process.exit(), so the output is written first.
process.exitCode = await main();
