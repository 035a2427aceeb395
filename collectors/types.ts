/** The collector contract lives in src/core (every layer reads it); collectors import it from here. */
export * from '../src/core/collector.js';
