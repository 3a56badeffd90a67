import { render } from 'preact';
import { loadDeploymentConfig } from './config.js';
import { Root } from './root.js';
import './styles.css';

void loadDeploymentConfig().then(() => render(<Root />, document.getElementById('app')!));
