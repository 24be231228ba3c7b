import { accountCommands } from './account.js';
import { adminCommands } from './admin.js';
import { buyCommands } from './buy.js';
import { catalogueCommands } from './catalogue.js';
import { claimCommands } from './claims.js';
import { topupCommands } from './topup.js';
import type { Command } from '../context.js';

/** Every chat command, in the order `.menu` thinks of them. */
export const allCommands: readonly Command[] = [...catalogueCommands, ...buyCommands, ...accountCommands, ...adminCommands, ...topupCommands, ...claimCommands];
