// The dashboard sections, one module each; the names the indicator screens import.
export { AlertsSection } from './Alerts';
export { AntibiogramSection } from './Antibiogram';
export { AntifungalResistanceSection } from './Antifungals';
export { AwareSection } from './Aware';
export { BenchmarkSection } from './Benchmark';
export { CarbapenemaseSection } from './Carbapenemases';
export { CombinedSection } from './Combined';
export { CompletenessSection } from './Completeness';
export { ConsumptionSection } from './Consumption';
export { EstablishmentsSection } from './Establishments';
export { PhenotypeSection } from './Phenotypes';
export { PhenotypeQuarterSection } from './PhenotypeQuarters';
export { RegionsSection } from './Regions';
export { ResistanceSection } from './Resistance';
export { fmt, type ScopeProps } from './shared';
export { StrategyPanel } from './StrategyPanel';
export { TrendSection } from './Trend';
export { UnitBreakdown } from './UnitBreakdown';
