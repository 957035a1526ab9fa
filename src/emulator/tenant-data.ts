/** Word lists for the demo tenant generator. */
export const FIRST_NAMES = [
  'Adele', 'Alex', 'Allan', 'Amara', 'Ana', 'Ben', 'Bianca', 'Carlos', 'Chen', 'Chloe', 'Christie', 'Daniel', 'Debra', 'Diego',
  'Elena', 'Emeka', 'Emily', 'Enrico', 'Fatima', 'Felix', 'Grady', 'Hana', 'Henrietta', 'Igor', 'Irvin', 'Isaiah', 'Jana',
  'Johanna', 'Joni', 'Jorge', 'Kai', 'Karin', 'Lee', 'Lidia', 'Lucas', 'Lynne', 'Maya', 'Megan', 'Miriam', 'Nestor', 'Nia',
  'Noah', 'Olga', 'Omar', 'Patti', 'Pradeep', 'Priya', 'Quinn', 'Raul', 'Rosa', 'Sakura', 'Sam', 'Sofia', 'Tariq', 'Ursula',
  'Valentina', 'Wei', 'Xavier', 'Yusuf', 'Zoe', 'Zoë', 'Ölvir', 'José', 'Renée',
];

export const LAST_NAMES = [
  'Adams', 'Bauer', 'Becker', 'Chen', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Gonzalez', 'Hansen', 'Ito',
  'Jensen', 'Johnson', 'Kim', 'Kowalski', 'Larsen', 'Lopez', 'Martin', 'Meyer', 'Miller', 'Moreau', 'Müller', 'Nakamura',
  'Nguyen', 'Novak', 'Okafor', 'Olsen', 'Patel', 'Petrov', 'Quinn', 'Rossi', 'Santos', 'Schmidt', 'Silva', 'Smith',
  'Suzuki', 'Tanaka', 'Taylor', 'Torres', 'Vargas', 'Wagner', 'Weber', 'Williams', 'Wilson', 'Xu', 'Yamamoto', 'Zimmermann',
  "O'Brien", 'García-Márquez',
];

export interface Department {
  name: string;
  weight: number;
  titles: string[];
}

export const DEPARTMENTS: Department[] = [
  { name: 'Engineering', weight: 24, titles: ['Software Engineer', 'Senior Software Engineer', 'Engineering Manager', 'QA Engineer', 'Architect'] },
  { name: 'Sales', weight: 16, titles: ['Account Executive', 'Sales Representative', 'Sales Manager', 'Sales Engineer'] },
  { name: 'Marketing', weight: 9, titles: ['Marketing Specialist', 'Content Writer', 'Marketing Manager', 'Designer'] },
  { name: 'Finance', weight: 7, titles: ['Accountant', 'Financial Analyst', 'Controller', 'Payroll Specialist'] },
  { name: 'Human Resources', weight: 5, titles: ['HR Generalist', 'Recruiter', 'HR Business Partner', 'HR Manager'] },
  { name: 'Operations', weight: 12, titles: ['Operations Analyst', 'Logistics Coordinator', 'Operations Manager', 'Buyer'] },
  { name: 'Legal', weight: 3, titles: ['Counsel', 'Paralegal', 'Compliance Officer'] },
  { name: 'Customer Support', weight: 14, titles: ['Support Agent', 'Support Engineer', 'Support Team Lead'] },
  { name: 'Research', weight: 6, titles: ['Research Scientist', 'Data Scientist', 'Research Lead'] },
  { name: 'IT', weight: 4, titles: ['System Administrator', 'Help Desk Technician', 'IT Manager', 'Security Analyst'] },
];

export interface Office {
  city: string;
  country: string;
  usageLocation: string;
  officeLocation: string;
  phonePrefix: string;
  language: string;
}

export const OFFICES: Office[] = [
  { city: 'Redmond', country: 'United States', usageLocation: 'US', officeLocation: '18/2111', phonePrefix: '+1 425 555 ', language: 'en-US' },
  { city: 'New York', country: 'United States', usageLocation: 'US', officeLocation: 'NY-7', phonePrefix: '+1 212 555 ', language: 'en-US' },
  { city: 'London', country: 'United Kingdom', usageLocation: 'GB', officeLocation: 'LDN-3', phonePrefix: '+44 20 7946 ', language: 'en-GB' },
  { city: 'Berlin', country: 'Germany', usageLocation: 'DE', officeLocation: 'BER-1', phonePrefix: '+49 30 5557 ', language: 'de-DE' },
  { city: 'Paris', country: 'France', usageLocation: 'FR', officeLocation: 'PAR-2', phonePrefix: '+33 1 7099 ', language: 'fr-FR' },
  { city: 'Tokyo', country: 'Japan', usageLocation: 'JP', officeLocation: 'TYO-5', phonePrefix: '+81 3 5555 ', language: 'ja-JP' },
  { city: 'São Paulo', country: 'Brazil', usageLocation: 'BR', officeLocation: 'SP-4', phonePrefix: '+55 11 5555 ', language: 'pt-BR' },
  { city: 'Bangalore', country: 'India', usageLocation: 'IN', officeLocation: 'BLR-9', phonePrefix: '+91 80 5555 ', language: 'en-IN' },
];

/** A tiny JPEG-shaped byte string (SOI ... EOI); content does not matter to the connector. */
export function fakeJpeg(seed: number): Buffer {
  const body = Buffer.alloc(160);
  for (let i = 0; i < body.length; i++) body[i] = (seed * 31 + i * 7) & 0xff;
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), body, Buffer.from([0xff, 0xd9])]);
}
