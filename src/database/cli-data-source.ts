import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source.js';

/** Used only by the TypeORM CLI (`npm run migration:generate`); the app builds its own from AppConfig. */
export default new DataSource(dataSourceOptions(new AppConfig()));
