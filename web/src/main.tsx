import { render } from 'preact';
import { App } from './app';
import { joinSession } from './session';
import './styles.css';

// A tab opened beside a signed-in one starts signed in (the session is the browser's tabs', not one tab's).
void joinSession().then(() => render(<App />, document.getElementById('app')!));
