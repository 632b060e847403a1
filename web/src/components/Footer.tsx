export function Footer() {
  return (
    <footer class="site-footer">
      <div class="container footer-inner">
        <p>
          <strong>ConsoRes</strong> — surveillance de la consommation d'antibiotiques et de la résistance bactérienne
          dans les établissements de santé.
        </p>
        <p>
          <a href="#/documentation">Documentation</a>
        </p>
      </div>
    </footer>
  );
}
