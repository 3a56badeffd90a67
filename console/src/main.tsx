import { render } from 'preact';
import { loadDeploymentConfig } from './config.js';
import { Root } from './root.js';
import './styles.css';

void loadDeploymentConfig().then(() => {
  const app = document.getElementById('app');
  if (app) render(<Root />, app);
});
