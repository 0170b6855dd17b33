/** Words for the synthetic demo data set: es-MX names, area codes and incident descriptions. */
import type { FallaCategory, IncidentType } from '../sheets/records.ts';

export const FIRST_NAMES_F = [
  'María', 'Guadalupe', 'Juana', 'Margarita', 'Verónica', 'Leticia', 'Rosa', 'Alejandra', 'Patricia', 'Adriana',
  'Gabriela', 'Sofía', 'Ximena', 'Valeria', 'Daniela', 'Fernanda', 'Mónica', 'Araceli', 'Claudia', 'Lucía',
  'Andrea', 'Itzel', 'Citlali', 'Yolanda', 'Beatriz', 'Silvia', 'Elena', 'Noemí', 'Karla', 'Jimena',
] as const;

export const FIRST_NAMES_M = [
  'José', 'Juan', 'Luis', 'Carlos', 'Jesús', 'Miguel', 'Francisco', 'Alejandro', 'Jorge', 'Pedro',
  'Ricardo', 'Fernando', 'Ramón', 'Héctor', 'Raúl', 'Arturo', 'Sergio', 'Óscar', 'Andrés', 'Martín',
  'Joaquín', 'Iván', 'Julián', 'Efraín', 'Mauricio', 'Santiago', 'Emiliano', 'Diego', 'Rubén', 'Cuauhtémoc',
] as const;

export const SURNAMES = [
  'Hernández', 'García', 'Martínez', 'López', 'González', 'Pérez', 'Rodríguez', 'Sánchez', 'Ramírez', 'Cruz',
  'Flores', 'Gómez', 'Morales', 'Vázquez', 'Reyes', 'Jiménez', 'Torres', 'Díaz', 'Gutiérrez', 'Ruiz',
  'Mendoza', 'Aguilar', 'Ortiz', 'Moreno', 'Castillo', 'Romero', 'Álvarez', 'Méndez', 'Chávez', 'Rivera',
  'Juárez', 'Ramos', 'Domínguez', 'Herrera', 'Medina', 'Castro', 'Vargas', 'Guzmán', 'Velázquez', 'Muñoz',
  'Rojas', 'Contreras', 'Salazar', 'Luna', 'Ortega', 'Santiago', 'Guerrero', 'Estrada', 'Bautista', 'Núñez',
] as const;

/** Mexican area codes (2-digit metro areas and common 3-digit ones); the rest of the 10 digits is random. */
export const AREA_CODES = ['55', '33', '81', '222', '442', '444', '477', '614', '662', '664', '722', '833', '871', '951', '998', '999'] as const;

type Descriptions = Record<Exclude<IncidentType, 'falla'>, readonly string[]> & { falla: Record<FallaCategory, readonly string[]> };

export const DESCRIPTIONS: Descriptions = {
  falla: {
    sin_internet: [
      'No tengo internet desde la mañana, el módem tiene la luz roja',
      'Se fue el internet desde anoche y ya reinicié el módem dos veces',
      'Sin servicio desde que pasó la tormenta, la antena no enciende',
      'No hay internet en toda la casa, los vecinos tampoco tienen',
    ],
    lento: [
      'El internet está muy lento en las tardes, no cargan los videos',
      'Pago 50 megas pero la prueba de velocidad marca 5',
      'Las videollamadas de la escuela se cortan por lo lento',
    ],
    intermitente: [
      'El internet se va y regresa cada rato, sobre todo en la noche',
      'Se desconecta varias veces al día por unos minutos',
      'La señal va y viene desde el fin de semana',
    ],
    otro: [
      'El cable de la antena quedó colgando después de la poda del árbol',
      'Quiero cambiar la contraseña del WiFi y no sé cómo',
      'El módem hace un ruido raro y se calienta mucho',
    ],
  },
  pago: [
    'Ya pagué en OXXO pero me sigue apareciendo adeudo',
    'Hice transferencia ayer, envío comprobante para que reactiven',
    'Quiero saber cuánto debo y la fecha de corte',
    'Me cobraron doble este mes',
  ],
  cambio_plan: [
    'Quiero subir a un plan de más megas porque ahora trabajo desde casa',
    'Quisiera bajar al plan básico, ya no lo usamos tanto',
    '¿Cuánto cuesta cambiarme al plan Ultra?',
  ],
  cancelacion: [
    'Quiero cancelar porque me voy a cambiar de ciudad',
    'Deseo dar de baja el servicio, está muy caro para nosotros',
    'Quiero cancelar, otro proveedor me ofreció fibra más barata',
  ],
  retencion: [
    'Aceptó el descuento de 3 meses y se queda con nosotros',
    'Pidió pensarlo; se le ofreció subir de velocidad sin costo',
    'Aceptó el cambio de domicilio sin costo',
  ],
  humano: [
    'Pide hablar con una persona sobre su contrato',
    'Quiere que le llamen para aclarar una factura',
    'Solicita atención de un asesor para instalar en un segundo domicilio',
  ],
};

export const STAFF_NOTES = ['Técnico asignado', 'Se llamó al cliente', 'Se reinició la antena a distancia', 'Pendiente visita', 'Resuelto por teléfono'] as const;
