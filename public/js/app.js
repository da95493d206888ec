import { ApiError, currentUser, login, logout, register } from './api.js';
import { startChat } from './chat-page.js';
import { byId } from './dom.js';

/**
 * The page's entry point: shows the login/registration forms or the chat, and switches
 * between them on login, logout and the end of a session.
 */
const authView = byId('auth-view');
const chatView = byId('chat-view');
const note = byId('auth-note');
let chat = null;
let loggingOut = false;

function showAuth(message = '') {
  chat = null;
  chatView.hidden = true;
  authView.hidden = false;
  note.textContent = message;
  byId('login-name').focus();
}

function showChat(user) {
  authView.hidden = true;
  chatView.hidden = false;
  note.textContent = '';
  chat = startChat(user, {
    onSessionEnded: (detail) => {
      // The chat view is built for one user: reload for a clean slate, then show the note.
      const text = loggingOut ? 'You have logged out.' : `Your session has ended. Please log in again. ${detail}`;
      sessionStorage.setItem('forum-chat:note', text.trim());
      location.reload();
    },
  });
}

function formError(form, error) {
  const text = error instanceof ApiError
    ? error.status === 401 ? 'Wrong nickname, email or password.'
      : error.status === 409 ? 'That nickname or email is already taken.'
      : error.message
    : 'The server could not be reached. Try again.';
  form.querySelector('[data-error]').textContent = text;
}

function bindForm(form, submit) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    form.querySelector('[data-error]').textContent = '';
    button.disabled = true;
    try {
      showChat(await submit(new FormData(form)));
      form.reset();
    } catch (error) {
      formError(form, error);
    } finally {
      button.disabled = false;
    }
  });
}

bindForm(byId('login-form'), (data) => login(String(data.get('login')).trim(), String(data.get('password'))));
bindForm(byId('register-form'), async (data) => {
  const nickname = String(data.get('nickname')).trim();
  const password = String(data.get('password'));
  await register(nickname, password, String(data.get('email') ?? '').trim());
  return login(nickname, password);
});

byId('logout').addEventListener('click', async () => {
  loggingOut = true;
  try {
    await logout();
  } finally {
    chat?.stop();
  }
});

async function boot() {
  const saved = sessionStorage.getItem('forum-chat:note') ?? '';
  sessionStorage.removeItem('forum-chat:note');
  try {
    const user = await currentUser();
    byId('boot').hidden = true;
    if (user) showChat(user);
    else showAuth(saved);
  } catch {
    byId('boot').textContent = 'The chat server could not be reached. Reload the page to try again.';
  }
}

void boot();
