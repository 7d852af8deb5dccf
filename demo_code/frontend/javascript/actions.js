"use strict";

// The user found by section 1; sections 2 to 4 ask about this user.
let currentUser = null;

// Send one request to our Flask API and return {status, data}. The URLs are relative (no
// leading "/", no host), so the page works wherever it is served, even under a prefix.
async function callApi(method, url, body) {
  const options = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  const data = await response.json().catch(() => null); // a proxy's error page is not JSON
  return { status: response.status, data };
}

// Show (or, with empty text, hide) the message line of a section.
function showMessage(id, text, kind = "") {
  const line = document.getElementById(id);
  line.textContent = text; // textContent, never innerHTML: input stays text, never HTML
  line.className = "message " + kind;
  line.hidden = text === "";
}

// Show a result element, or hide it when there is nothing to show.
function showOutput(id, text) {
  const output = document.getElementById(id);
  output.textContent = text;
  output.hidden = text === "";
}

// Our own words for "not found"; for any other failure, what the server said.
function errorText(result, notFoundText) {
  if (result.status === 404) {
    return notFoundText;
  }
  const serverMessage = result.data && result.data.message;
  if (serverMessage) {
    return `${serverMessage} (status ${result.status})`;
  }
  return `The server could not answer (status ${result.status}).`;
}

// Run a form's request when it is submitted (a click or Enter), with a loading state.
function onSubmit(formId, messageId, handler) {
  const form = document.getElementById(formId);
  const button = form.querySelector("button");
  form.addEventListener("submit", async (event) => {
    event.preventDefault(); // we update the page ourselves instead of loading a new one
    button.disabled = true;
    showMessage(messageId, "Loading…", "loading");
    try {
      await handler();
    } catch (error) {
      // fetch() only throws when no answer arrived at all.
      showMessage(messageId, "Could not reach the server. Is it still running?", "error");
    } finally {
      button.disabled = false;
    }
  });
  // The buttons start disabled in the HTML: a click before this script has run would make the
  // browser submit the form itself and reload the page, on a slow connection for instance.
  button.disabled = false;
}

// Returns true when a user was chosen; otherwise shows the original demo's message.
function needUser(messageId) {
  if (currentUser === null) {
    showMessage(messageId, "No user has been specified yet!", "error");
    return false;
  }
  return true;
}

onSubmit("user-form", "user-message", async () => {
  const userId = document.getElementById("user-input").value.trim();
  const result = await callApi("GET", "users/" + encodeURIComponent(userId));
  if (result.status !== 200) {
    showOutput("user-output", "");
    showMessage("user-message", errorText(result, `The username ${userId} could not be found!`), "error");
    return;
  }
  currentUser = userId;
  document.getElementById("current-user").textContent = currentUser;
  showOutput("user-output", JSON.stringify(result.data, null, 2));
  showMessage("user-message", "");
});

onSubmit("repo-form", "repo-message", async () => {
  const repoName = document.getElementById("repo-input").value.trim();
  if (!needUser("repo-message")) {
    return;
  }
  const url = "users/" + encodeURIComponent(currentUser) + "/repos/" + encodeURIComponent(repoName);
  const result = await callApi("GET", url);
  if (result.status !== 200) {
    showOutput("repo-output", "");
    showMessage("repo-message", errorText(result, `The repository ${repoName} could not be found!`), "error");
    return;
  }
  showOutput("repo-output", JSON.stringify(result.data, null, 2));
  showMessage("repo-message", "");
});

onSubmit("count-form", "count-message", async () => {
  if (!needUser("count-message")) {
    return;
  }
  const result = await callApi("POST", "users/" + encodeURIComponent(currentUser) + "/count-repos");
  if (result.status !== 200) {
    showOutput("count-output", "");
    showMessage("count-message", errorText(result, `The username ${currentUser} could not be found!`), "error");
    return;
  }
  const n = result.data.number_of_repos;
  showOutput("count-output", `${currentUser} has ${n} public ${n === 1 ? "repository" : "repositories"}.`);
  showMessage("count-message", "");
});

onSubmit("names-form", "names-message", async () => {
  if (!needUser("names-message")) {
    return;
  }
  const numRepos = Number(document.getElementById("names-input").value);
  const url = "users/" + encodeURIComponent(currentUser) + "/get-n-repos-alphabetically";
  const result = await callApi("POST", url, { num_repos: numRepos });
  const list = document.getElementById("names-output");
  list.replaceChildren(); // remove the previous answer
  if (result.status !== 200) {
    list.hidden = true;
    showMessage("names-message", errorText(result, `The username ${currentUser} could not be found!`), "error");
    return;
  }
  for (const repoName of result.data.repo_names) {
    const item = document.createElement("li");
    item.textContent = repoName;
    list.append(item);
  }
  list.hidden = result.data.repo_names.length === 0;
  showMessage("names-message", result.data.repo_names.length === 0 ? "This user has no public repositories." : "");
});
