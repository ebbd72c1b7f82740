import { describeFaultMatrix } from './FaultMatrix.ts';
import { vendorAnswerFaults } from './vendorFaults.ts';

describeFaultMatrix('vendor answer faults', vendorAnswerFaults);
