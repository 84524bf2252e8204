export { BeckonMessage } from './message.js';
