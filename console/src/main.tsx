import { render } from 'preact';
import { Root } from './root.js';
import { loadDeploymentConfig } from './config.js';
import './styles.css';

void loadDeploymentConfig().then(() => render(<Root />, document.getElementById('app')!));
