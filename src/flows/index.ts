import { ayudaFlow, despedidaFlow, fueraDeAlcanceFlow, saludoFlow } from './basicFlows.ts';
import { buscarClienteFlow } from './buscarCliente.ts';
import { cambioPlanFlow } from './cambioPlan.ts';
import { cancelacionFlow } from './cancelacion.ts';
import { coberturaFlow } from './cobertura.ts';
import { estadisticasFlow } from './estadisticas.ts';
import { estadoReporteFlow } from './estadoReporte.ts';
import { fallaFlow } from './falla.ts';
import type { Flow } from './flow.ts';
import { finanzasFlow } from './finanzas.ts';
import { humanoFlow } from './humano.ts';
import { miServicioFlow } from './miServicio.ts';
import { pagoFlow } from './pago.ts';
import { planesFlow } from './planes.ts';
import { registroFlow } from './registro.ts';

/** Every flow the agent can run; ids are the intents they serve (plus any internal ones). */
export const allFlows: readonly Flow[] = [
  saludoFlow,
  ayudaFlow,
  despedidaFlow,
  fueraDeAlcanceFlow,
  registroFlow,
  planesFlow,
  coberturaFlow,
  fallaFlow,
  estadoReporteFlow,
  miServicioFlow,
  pagoFlow,
  cambioPlanFlow,
  cancelacionFlow,
  humanoFlow,
  estadisticasFlow,
  buscarClienteFlow,
  finanzasFlow,
];
