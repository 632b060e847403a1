import { Component, type ComponentChildren } from 'preact';

interface State {
  failed: boolean;
}

/** Last resort: a rendering bug shows a French message instead of a blank screen. */
export class ErrorBoundary extends Component<{ children?: ComponentChildren }, State> {
  state: State = { failed: false };

  componentDidCatch() {
    this.setState({ failed: true });
  }

  render() {
    if (this.state.failed) {
      return (
        <div role="alert" class="alert alert-error">
          <p>Une erreur inattendue est survenue dans cette page.</p>
          <p>
            <a href="#/">Revenir à l'accueil</a> ou rechargez la page.
          </p>
        </div>
      );
    }
    return this.props.children;
  }
}
