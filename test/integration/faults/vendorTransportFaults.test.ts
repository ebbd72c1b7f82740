import { describeFaultMatrix } from './FaultMatrix.ts';
import { vendorTransportFaults } from './vendorFaults.ts';

describeFaultMatrix('vendor transport faults', vendorTransportFaults);
