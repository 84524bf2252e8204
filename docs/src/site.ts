// Runs on every docs page: the header's dashboard link goes to the demo's Beckon server.
import { linkDashboard } from './lib/config.js';

linkDashboard();
