/** IGM's pinnbp emulator copied into the repository (GPL-3.0; see data/igm-emulators/README.md). */
import { join } from 'node:path';

export const PINNBP_DIR = join(import.meta.dirname, '../../data/igm-emulators/pinnbp_10_4_cnn_16_32_2_1');
